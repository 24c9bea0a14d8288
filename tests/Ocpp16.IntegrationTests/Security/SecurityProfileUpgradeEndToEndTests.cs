using System.Security.Cryptography.X509Certificates;
using Ocpp16.CentralSystem;
using Ocpp16.CentralSystem.Security;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Messages;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.Security;

/// <summary>
/// The Security extension end to end over real Kestrel with a PKI made at run time (one CPO root: it issued the CSMS's
/// TLS certificate and signs the charge points' certificates): a charge point starts on security profile 1, gets the
/// CentralSystemRootCertificate through InstallCertificate and its own certificate through SignCertificate /
/// CertificateSigned (signed by the library's certificate authority), is raised to profile 3 by ChangeConfiguration
/// SecurityProfile and reconnects over TLS with the CSMS-signed client certificate; a raise the CSMS does not accept
/// falls back to profile 1.
/// </summary>
public sealed class SecurityProfileUpgradeEndToEndTests : IAsyncLifetime
{
    private const string Cpo = "Test CPO";
    private const string Key = "e2e-authorization-key-0123";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly X509Certificate2 _root = TestPki.CreateRootCa("E2E CPO Root", Cpo);
    private readonly LogCollector _logs = new();
    private readonly List<string> _directories = [];
    private SecureCentralSystem _csms = null!;

    public async Task InitializeAsync()
    {
        var store = new ChargePointCredentialStore { CertificateOrganization = Cpo };
        store.ChargePointCertificateRoots.Add(TestPki.PublicOnly(_root));
        _csms = await SecureCentralSystem.StartAsync(
            TestPki.IssueServerCertificate(_root),
            store,
            loggerProvider: _logs,
            configure: b => b.AddCertificateAuthority(new CertificateAuthorityOptions { IssuerCertificate = _root, Organization = Cpo, Validity = TimeSpan.FromDays(30) }));
    }

    public async Task DisposeAsync()
    {
        await _csms.DisposeAsync();
        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private ChargePointClient CreateChargePoint(string id)
    {
        var directory = Directory.CreateTempSubdirectory("ocpp16-e2e-sec-").FullName;
        _directories.Add(directory);
        var options = new ChargePointOptions
        {
            Identity = id,
            CentralSystemUri = _csms.WsUri,
            SecurityProfile = 1,
            Password = Key,
            DataDirectory = directory,
            CallTimeout = TimeSpan.FromSeconds(10),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
            ReconnectRandomRange = TimeSpan.Zero,
        };
        options.SecurityProfileUris[3] = _csms.WssUri;
        options.FeatureProfiles.Add(OcppFeatureProfile.Security);
        options.Configuration["CpoName"] = Cpo;
        return new ChargePointClient(options, new SimulatedChargePointHardware(1));
    }

    /// <summary>Profile 1 → root installed → SignCertificate/CertificateSigned → the charge point holds a CSMS-signed certificate.</summary>
    private async Task<ConnectedChargePoint> EnrolAsync(ChargePointClient chargePoint, string id)
    {
        _csms.Store.SetPassword(id, Key, securityProfile: 1);
        await chargePoint.StartAsync();
        var connected = await Wait.ForAsync(() => _csms.CentralSystem.TryGetChargePoint(id, out var cp) ? cp : null, Timeout, id + " connects on profile 1");

        var install = await connected.InstallCertificateAsync(new InstallCertificateRequest { CertificateType = CertificateUse.CentralSystemRootCertificate, Certificate = TestPki.PublicOnly(_root).ExportCertificatePem() });
        Assert.Equal(InstallCertificateStatus.Accepted, install.Status);
        var ids = await connected.GetInstalledCertificateIdsAsync(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate });
        Assert.Equal(_root.SerialNumber.TrimStart('0').ToLowerInvariant(), Assert.Single(ids.CertificateHashData!).SerialNumber);

        var trigger = await connected.ExtendedTriggerMessageAsync(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate });
        Assert.Equal(TriggerMessageStatus.Accepted, trigger.Status);
        await Wait.ForAsync(() => connected.Session.CertificateSignedStatus == CertificateSignedStatus.Accepted ? connected : null, Timeout, "CertificateSigned accepted");
        return connected;
    }

    [Fact]
    public async Task ProfileOne_EnrolsThroughSignCertificate_IsRaisedToProfileThree_AndReconnectsWithTheCsmsSignedCertificate()
    {
        const string id = "CP-E2E-P3";
        await using var chargePoint = CreateChargePoint(id);
        var first = await EnrolAsync(chargePoint, id);

        // The CSMS now expects profile 3 for this identity, and raises it.
        _csms.Store.SetClientCertificate(id);
        var raised = await first.ChangeConfigurationAsync(new ChangeConfigurationRequest { Key = "SecurityProfile", Value = "3" });
        Assert.Equal(ConfigurationStatus.Accepted, raised.Status);

        var second = await Wait.ForAsync(() => _csms.CentralSystem.TryGetChargePoint(id, out var cp) && !ReferenceEquals(cp, first) ? cp : null, Timeout, id + " reconnects on profile 3");
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4103 && e.Message.Contains(id, StringComparison.Ordinal) && e.Message.Contains("security profile 3", StringComparison.Ordinal));
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4104 && e.Message.Contains($"CN={id}, O={Cpo}", StringComparison.Ordinal));
        var read = await second.GetConfigurationAsync(new GetConfigurationRequest { Key = ["SecurityProfile"] });
        Assert.Equal("3", Assert.Single(read.ConfigurationKey!).Value);

        // The raise stays after a restart (the certificate and the profile are in the data directory).
        await chargePoint.StopAsync();
        await chargePoint.StartAsync();
        await Wait.ForAsync(() => _csms.CentralSystem.TryGetChargePoint(id, out var cp) && !ReferenceEquals(cp, second) ? cp : null, Timeout, id + " reconnects after a restart");
        Assert.Equal(2, _logs.Entries.Count(e => e.EventId.Id == 4103 && e.Message.Contains(id, StringComparison.Ordinal) && e.Message.Contains("security profile 3", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ARaiseToProfileThree_ThatTheCsmsRefuses_FallsBackToProfileOne_AndReportsTheFailedAuthentication()
    {
        const string id = "CP-E2E-FB";
        await using var chargePoint = CreateChargePoint(id);
        var first = await EnrolAsync(chargePoint, id);

        // The CSMS keeps this identity on profile 1 (password): the TLS client-certificate connection gets 401.
        var raised = await first.ChangeConfigurationAsync(new ChangeConfigurationRequest { Key = "SecurityProfile", Value = "3" });
        Assert.Equal(ConfigurationStatus.Accepted, raised.Status);
        var back = await Wait.ForAsync(() => _csms.CentralSystem.TryGetChargePoint(id, out var cp) && !ReferenceEquals(cp, first) ? cp : null, Timeout, id + " is back on profile 1");

        Assert.True(_logs.Entries.Count(e => e.EventId.Id == 4101 && e.Message.Contains(id, StringComparison.Ordinal)) >= 3);
        var read = await back.GetConfigurationAsync(new GetConfigurationRequest { Key = ["SecurityProfile"] });
        Assert.Equal("1", Assert.Single(read.ConfigurationKey!).Value);
        await Wait.ForAsync(() => back.Session.SecurityEvents.FirstOrDefault(e => e.Type == "FailedToAuthenticateAtCentralSystem"), Timeout, "the failed authentication is reported");
        Assert.Equal("1", chargePoint.Configuration.TryGetValue("SecurityProfile", out var value) ? value : null);
    }
}
