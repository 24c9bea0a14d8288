using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using Microsoft.Extensions.Logging;
using Ocpp16.CentralSystem.Security;
using Ocpp16.ChargePoint;
using Ocpp16.Messages;
using Ocpp16.Transport;

namespace Ocpp16.IntegrationTests.Security;

/// <summary>
/// Security profiles 1–3 (OCPP 1.6 Security Whitepaper ed. 3, §2) end to end: the library's ChargePoint and raw
/// OCPP-J handshakes against the library's CentralSystem with <see cref="ChargePointCredentialAuthenticator"/> on real
/// Kestrel (127.0.0.1, ws and wss listeners), with certificates made at run time.
/// </summary>
public sealed class SecurityProfileTests(SecurityFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SecurityFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    // ---------------------------------------------------------------- profile 1

    [Fact]
    public async Task Profile1_ChargePointWithRightPassword_OverPlainWs_Boots()
    {
        await using var cp = SecurityFixture.CreateChargePoint(SecurityFixture.P1Id, fixture.Server.WsUri, securityProfile: 1, password: SecurityFixture.P1Password);
        await cp.StartAsync();
        await fixture.Server.Handler.WaitForAsync<BootNotificationRequest>(SecurityFixture.P1Id, _ => true, Timeout);
        Assert.Equal(ChargePointConnectionState.Connected, cp.ConnectionState);
    }

    [Fact]
    public async Task Profile1_WrongPassword_IsRefusedWith401BeforeTheUpgrade()
    {
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WsUri, SecurityFixture.P1Id, "not-the-password");
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Profile1_NoCredentials_IsRefusedWith401()
    {
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WsUri, SecurityFixture.P1Id, password: null);
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task UnknownIdentity_IsRefusedWith401()
    {
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WsUri, "CP-NOT-IN-STORE", SecurityFixture.P1Password);
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Refusals_AreLoggedWithTheirReason_AndThePasswordNever()
    {
        const string secret = "wrong-Secret-Never-Logged-987";
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WsUri, SecurityFixture.P1Id, secret);
        Assert.Equal(401, status);
        await Wait.UntilAsync(() => fixture.Logs.Entries.Any(e => e.EventId.Id == 4101 && e.Message.Contains("wrong password", StringComparison.Ordinal)), Timeout, "the refusal log");
        Assert.DoesNotContain(fixture.Logs.Entries, e => e.Message.Contains(secret, StringComparison.Ordinal) || e.Message.Contains(SecurityFixture.P1Password, StringComparison.Ordinal));
    }

    // ---------------------------------------------------------------- profile 2

    [Fact]
    public async Task Profile2_ChargePointOverWss_ValidatesTheCsmsAgainstTheInstalledRoot_AndBoots()
    {
        await using var cp = SecurityFixture.CreateChargePoint(SecurityFixture.P2Id, fixture.Server.WssUri, securityProfile: 2, password: SecurityFixture.P2Password, roots: fixture.CsmsRoots);
        await cp.StartAsync();
        await fixture.Server.Handler.WaitForAsync<BootNotificationRequest>(SecurityFixture.P2Id, _ => true, Timeout);
        Assert.True(fixture.Server.CentralSystem.TryGetChargePoint(SecurityFixture.P2Id, out _));
    }

    [Fact]
    public async Task Profile2_WrongPasswordOverWss_IsRefusedWith401()
    {
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WssUri, SecurityFixture.P2Id, "not-the-password");
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Profile2_RightPasswordOverPlainWs_IsRefusedWith401()
    {
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WsUri, SecurityFixture.P2Id, SecurityFixture.P2Password);
        Assert.Equal(401, status);
        await Wait.UntilAsync(() => fixture.Logs.Entries.Any(e => e.EventId.Id == 4101 && e.Message.Contains(SecurityFixture.P2Id, StringComparison.Ordinal) && e.Message.Contains("TLS required", StringComparison.Ordinal)), Timeout, "the plain-ws refusal log");
    }

    [Fact]
    public async Task Profile2_RightPasswordOverWss_IsUpgraded()
    {
        var (status, error) = await fixture.HandshakeAsync(fixture.Server.WssUri, SecurityFixture.P2PinnedId, SecurityFixture.P2Password);
        Assert.True(status == 101, error?.ToString());
    }

    [Fact]
    public async Task Profile2_CsmsCertificateNotIssuedByTheInstalledRoot_ChargePointRefusesTheConnection()
    {
        // The charge point trusts only the rogue root: the real CSMS certificate must be refused in the TLS handshake,
        // although the system trust store and the password would not stop it.
        var roots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(TestPki.PublicOnly(fixture.RogueRoot));
        var direct = await Assert.ThrowsAsync<WebSocketException>(() => OcppWebSocketClient.ConnectAsync(
            fixture.Server.WssUri,
            SecurityFixture.P2PinnedId,
            new OcppWebSocketClientOptions { BasicAuthPassword = SecurityFixture.P2Password, RemoteCertificateValidationCallback = OcppCertificateValidation.CreateServerCertificateValidator(roots) }));
        Assert.IsType<AuthenticationException>(direct.InnerException?.InnerException ?? direct.InnerException, exactMatch: false);

        await using var cp = SecurityFixture.CreateChargePoint(SecurityFixture.P2PinnedId, fixture.Server.WssUri, securityProfile: 2, password: SecurityFixture.P2Password, roots: roots);
        await cp.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.NotEqual(ChargePointConnectionState.Connected, cp.ConnectionState);
        Assert.Empty(fixture.Server.Handler.Received<BootNotificationRequest>(SecurityFixture.P2PinnedId));
    }

    [Fact]
    public async Task Profile2_CsmsCertificateForAnotherHostName_IsRefusedEvenFromTheInstalledRoot()
    {
        using var otherName = TestPki.IssueServerCertificate(fixture.CsmsRoot, dnsNames: ["csms.example.com"], ipAddresses: []);
        var store = new ChargePointCredentialStore();
        store.SetPassword("CP-HOST", SecurityFixture.P2Password, securityProfile: 2);
        await using var server = await SecureCentralSystem.StartAsync(otherName, store);

        var (status, error) = await fixture.HandshakeAsync(server.WssUri, "CP-HOST", SecurityFixture.P2Password);
        Assert.Equal(0, status);
        Assert.NotNull(error);

        // Control: the same server is reachable when the name check is the only thing skipped, so the chain was fine.
        var validator = OcppCertificateValidation.CreateServerCertificateValidator(fixture.CsmsRoots);
        var (controlStatus, controlError) = await fixture.HandshakeAsync(server.WssUri, "CP-HOST", SecurityFixture.P2Password, validator: (s, c, ch, e) => validator(s, c, ch, e & ~SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.True(controlStatus == 101, controlError?.ToString());
    }

    // ---------------------------------------------------------------- profile 3

    [Fact]
    public async Task Profile3_ChargePointWithClientCertificate_Boots()
    {
        using var certificate = TestPki.IssueClientCertificate(fixture.ChargePointRoot, SecurityFixture.P3Id, SecurityFixture.Cpo);
        await using var cp = SecurityFixture.CreateChargePoint(SecurityFixture.P3Id, fixture.Server.WssUri, securityProfile: 3, clientCertificate: certificate, roots: fixture.CsmsRoots);
        await cp.StartAsync();
        await fixture.Server.Handler.WaitForAsync<BootNotificationRequest>(SecurityFixture.P3Id, _ => true, Timeout);
        Assert.True(fixture.Server.CentralSystem.TryGetChargePoint(SecurityFixture.P3Id, out _));
    }

    [Fact]
    public async Task Profile3_CertificateWithTheConfiguredSerialNumberAsCn_IsAccepted()
    {
        using var certificate = TestPki.IssueClientCertificate(fixture.ChargePointRoot, SecurityFixture.P3Serial, SecurityFixture.Cpo);
        var (status, error) = await fixture.HandshakeAsync(fixture.Server.WssUri, SecurityFixture.P3SerialId, clientCertificate: certificate);
        Assert.True(status == 101, error?.ToString());
    }

    [Fact]
    public async Task Profile3_CertificateWithAnotherChargePointsCn_IsRefusedWith401()
    {
        using var certificate = TestPki.IssueClientCertificate(fixture.ChargePointRoot, "CP-SOMEONE-ELSE", SecurityFixture.Cpo);
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WssUri, SecurityFixture.P3Id, clientCertificate: certificate);
        Assert.Equal(401, status);
        await Wait.UntilAsync(() => fixture.Logs.Entries.Any(e => e.EventId.Id == 4102 && e.Message.Contains("CN=CP-SOMEONE-ELSE", StringComparison.Ordinal) && e.Message.Contains("different subject CN", StringComparison.Ordinal)), Timeout, "the CN refusal log");
    }

    [Fact]
    public async Task Profile3_CertificateFromAnUntrustedCa_IsRefusedWith401()
    {
        using var certificate = TestPki.IssueClientCertificate(fixture.RogueRoot, SecurityFixture.P3Id, SecurityFixture.Cpo);
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WssUri, SecurityFixture.P3Id, clientCertificate: certificate);
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Profile3_CertificateFromTheCsmsServerCa_IsRefusedWith401()
    {
        // Issued by a CA the CSMS itself uses, but not one configured for charge point certificates.
        using var certificate = TestPki.IssueClientCertificate(fixture.CsmsRoot, SecurityFixture.P3Id, SecurityFixture.Cpo);
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WssUri, SecurityFixture.P3Id, clientCertificate: certificate);
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Profile3_CertificateOfAnotherCpo_IsRefusedWith401()
    {
        using var certificate = TestPki.IssueClientCertificate(fixture.ChargePointRoot, SecurityFixture.P3Id, "Other CPO");
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WssUri, SecurityFixture.P3Id, clientCertificate: certificate);
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Profile3_ExpiredCertificate_IsRefusedWith401()
    {
        using var certificate = TestPki.IssueClientCertificate(fixture.ChargePointRoot, SecurityFixture.P3Id, SecurityFixture.Cpo, DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WssUri, SecurityFixture.P3Id, clientCertificate: certificate);
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Profile3_NoClientCertificate_IsRefusedWith401_EvenWithAPassword()
    {
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WssUri, SecurityFixture.P3Id, password: "anything");
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task Profile3_OverPlainWs_IsRefusedWith401()
    {
        var (status, _) = await fixture.HandshakeAsync(fixture.Server.WsUri, SecurityFixture.P3Id);
        Assert.Equal(401, status);
    }

    // ---------------------------------------------------------------- TLS versions

    [Fact]
    public async Task Tls11Offered_HandshakeFails_WhileTls12AndTls13Succeed()
    {
        var port = fixture.Server.WssUri.Port;

        // With OpenSSL 3 TLS 1.1 is usually disabled on the client side too (security level); either way no TLS 1.1
        // session comes up: the server is configured for TLS 1.2/1.3 only.
#pragma warning disable SYSLIB0039 // TLS 1.1 is offered on purpose, to be refused.
        var tls11 = await Record.ExceptionAsync(() => TlsHandshakeAsync(port, SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
        Assert.NotNull(tls11);
        output.WriteLine($"TLS 1.1 offered: {tls11.GetType().Name}: {tls11.Message} / {tls11.InnerException?.Message}");
        Assert.True(tls11 is AuthenticationException or IOException or PlatformNotSupportedException or System.ComponentModel.Win32Exception, tls11.ToString());

        Assert.Equal(SslProtocols.Tls12, await TlsHandshakeAsync(port, SslProtocols.Tls12));
        Assert.Equal(SslProtocols.Tls13, await TlsHandshakeAsync(port, SslProtocols.Tls13));
    }

    [Fact]
    public async Task Tls11Session_OnAServerThatWronglyAllowsIt_IsRefusedByTheAuthenticatorWith401()
    {
        // Defence in depth: even when Kestrel is misconfigured to allow TLS 1.1, profile 2 needs TLS 1.2 or newer.
        var store = new ChargePointCredentialStore();
        store.SetPassword("CP-OLD-TLS", SecurityFixture.P2Password, securityProfile: 2);
#pragma warning disable SYSLIB0039 // TLS 1.1 is enabled on purpose, to be refused.
        await using var server = await SecureCentralSystem.StartAsync(fixture.ServerCertificate, store, SslProtocols.Tls11 | SslProtocols.Tls12 | SslProtocols.Tls13);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.WssUri.Port);
        await using var tls = new SslStream(tcp.GetStream());
        var handshake = await Record.ExceptionAsync(() => AuthenticateAsync(tls, SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
        if (handshake is not null)
        {
            // OpenSSL 3 (security level 1+) has TLS 1.0/1.1 disabled in the process: no TLS 1.1 session can be made
            // here at all, so the authenticator's version check is only reachable on platforms that still offer it.
            output.WriteLine($"TLS 1.1 is not available on this platform: {handshake.GetType().Name}: {handshake.InnerException?.Message ?? handshake.Message}");
            Assert.IsType<AuthenticationException>(handshake, exactMatch: false);
            return;
        }

        var status = await UpgradeStatusAsync(tls, "CP-OLD-TLS", SecurityFixture.P2Password);
        Assert.Equal(401, status);
    }

    [Fact]
    public async Task RawUpgradeOverTls12_IsAnsweredByTheAuthenticator()
    {
        // Proves the raw upgrade helper used by the TLS 1.1 test: 101 with the right password, 401 with a wrong one.
        foreach (var (password, expected) in new[] { (SecurityFixture.P2Password, 101), ("wrong", 401) })
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, fixture.Server.WssUri.Port);
            await using var tls = new SslStream(tcp.GetStream());
            await AuthenticateAsync(tls, SslProtocols.Tls12);
            Assert.Equal(expected, await UpgradeStatusAsync(tls, SecurityFixture.P2PinnedId, password));
        }
    }

    private async Task<SslProtocols> TlsHandshakeAsync(int port, SslProtocols protocols)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        await using var tls = new SslStream(tcp.GetStream());
        await AuthenticateAsync(tls, protocols);
        return tls.SslProtocol;
    }

    private async Task AuthenticateAsync(SslStream tls, SslProtocols protocols)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = protocols,
                RemoteCertificateValidationCallback = OcppCertificateValidation.CreateServerCertificateValidator(fixture.CsmsRoots),
            },
            timeout.Token);
    }

    /// <summary>Sends an OCPP-J WebSocket upgrade request over an established TLS stream and returns the HTTP status.</summary>
    private static async Task<int> UpgradeStatusAsync(Stream stream, string id, string password)
    {
        var credentials = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(id + ":" + password));
        var request = $"GET /ocpp/{id} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ocpp1.6\r\n" +
            $"Authorization: Basic {credentials}\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var statusLine = System.Text.Encoding.ASCII.GetString(buffer, 0, read).Split("\r\n")[0];
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
