using Ocpp16.CentralSystem.Security;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.Security;

/// <summary>The password hashing of <see cref="ChargePointCredentialStore"/> and the security option checks of <see cref="ChargePointOptions"/>.</summary>
public sealed class CredentialStoreTests
{
    [Fact]
    public void HashPassword_IsSelfDescribingPbkdf2Sha256_WithRandomSalt()
    {
        var first = ChargePointCredentialStore.HashPassword("AuthorizationKey-1234");
        var second = ChargePointCredentialStore.HashPassword("AuthorizationKey-1234");

        var parts = first.Split('$');
        Assert.Equal(4, parts.Length);
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.Equal("100000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("AuthorizationKey", first, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyPassword_AcceptsOnlyTheRightPassword()
    {
        var hash = ChargePointCredentialStore.HashPassword("pässwörd-ÜTF8", 120_000);
        Assert.StartsWith("pbkdf2-sha256$120000$", hash, StringComparison.Ordinal);
        Assert.True(ChargePointCredentialStore.VerifyPassword("pässwörd-ÜTF8", hash));
        Assert.False(ChargePointCredentialStore.VerifyPassword("pässwörd-ÜTF9", hash));
        Assert.False(ChargePointCredentialStore.VerifyPassword(string.Empty, hash));
        Assert.False(ChargePointCredentialStore.VerifyPassword(null, hash));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain-text-password")]
    [InlineData("pbkdf2-sha1$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$abc$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$100000$not base64$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void SetPasswordHash_RejectsWhatHashPasswordDidNotMake(string hash)
    {
        var store = new ChargePointCredentialStore();
        Assert.Throws<FormatException>(() => store.SetPasswordHash("CP1", hash));
        Assert.False(ChargePointCredentialStore.VerifyPassword("x", hash));
    }

    [Fact]
    public void Store_KeepsOneProfilePerIdentity_AndRejectsProfilesThatDoNotFitTheCredential()
    {
        var store = new ChargePointCredentialStore();
        store.SetPassword("CP1", "secret-1", securityProfile: 2);
        store.SetClientCertificate("CP2");
        Assert.Equal(2, store.GetSecurityProfile("CP1"));
        Assert.Equal(3, store.GetSecurityProfile("CP2"));
        Assert.Null(store.GetSecurityProfile("cp1"));

        store.SetClientCertificate("CP1");
        Assert.Equal(3, store.GetSecurityProfile("CP1"));
        Assert.True(store.Remove("CP1"));
        Assert.Null(store.GetSecurityProfile("CP1"));
        Assert.Equal(1, store.Count);

        Assert.Throws<ArgumentOutOfRangeException>(() => store.SetPassword("CP3", "secret", securityProfile: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.SetPassword("CP3", "secret", securityProfile: 0));
        Assert.Throws<ArgumentException>(() => store.SetPassword("CP3", string.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChargePointCredentialStore.HashPassword("secret", 99_999));
        Assert.Throws<ArgumentException>(() => store.CertificateOrganization = string.Empty);
    }

    [Fact]
    public void ChargePointOptions_SecurityProfile_AcceptsOnly0To3()
    {
        var options = new ChargePointOptions();
        Assert.Throws<ArgumentOutOfRangeException>(() => options.SecurityProfile = 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.SecurityProfile = -1);
        options.SecurityProfile = 3;
        Assert.Equal(3, options.SecurityProfile);
        Assert.Equal(0, new ChargePointOptions().SecurityProfile);
    }

    [Fact]
    public void ChargePoint_Profile1WithoutPassword_IsRejectedAtConstruction()
        => Assert.Throws<ArgumentException>(() => Create(new() { SecurityProfile = 1, CentralSystemUri = new Uri("ws://127.0.0.1:1/ocpp") }));

    [Fact]
    public void ChargePoint_Profile2OverPlainWs_IsRejectedAtConstruction()
    {
        using var root = TestPki.CreateRootCa("Root");
        var options = new ChargePointOptions { SecurityProfile = 2, Password = "secret", CentralSystemUri = new Uri("ws://127.0.0.1:1/ocpp") };
        options.CentralSystemRootCertificates.Add(root);
        var e = Assert.Throws<ArgumentException>(() => Create(options));
        Assert.Contains("wss", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChargePoint_Profile2WithoutInstalledRoot_IsRejectedAtConstruction()
        => Assert.Throws<ArgumentException>(() => Create(new() { SecurityProfile = 2, Password = "secret", CentralSystemUri = new Uri("wss://127.0.0.1:1/ocpp") }));

    [Fact]
    public void ChargePoint_Profile3WithoutClientCertificate_IsRejectedAtConstruction()
    {
        using var root = TestPki.CreateRootCa("Root");
        var options = new ChargePointOptions { SecurityProfile = 3, CentralSystemUri = new Uri("wss://127.0.0.1:1/ocpp") };
        options.CentralSystemRootCertificates.Add(root);
        Assert.Throws<ArgumentException>(() => Create(options));

        options.ClientCertificate = TestPki.PublicOnly(TestPki.IssueClientCertificate(root, "CP1"));
        Assert.Throws<ArgumentException>(() => Create(options));
    }

    private static ChargePointClient Create(ChargePointOptions options)
    {
        options.Identity = "CP1";
        return new ChargePointClient(options, new SimulatedChargePointHardware(1));
    }
}
