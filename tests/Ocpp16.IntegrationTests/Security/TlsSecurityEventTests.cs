using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.IntegrationTests.EndToEnd;
using Ocpp16.Messages;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.Security;

/// <summary>
/// A charge point on security profile 2 whose TLS handshake fails for a reason the Security extension names reports it
/// as that security event (OCPP 1.6 Security Whitepaper, "Security events"): a server that shares no cipher suite with
/// it gives InvalidTLSCipherSuite, not InvalidTLSVersion nor InvalidCentralSystemCertificate; on profile 3 (a client
/// certificate offered) the same generic alert is not taken for a cipher-suite problem.
/// </summary>
public sealed class TlsSecurityEventTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // CipherSuitesPolicy: Linux and macOS (OpenSSL); CI runs on Linux
    public async Task A_server_sharing_no_cipher_suite_is_reported_as_InvalidTLSCipherSuite()
    {
        var logs = await ConnectToAServerSharingNoCipherSuiteAsync(withClientCertificate: false);

        Assert.Contains(SecurityEvents(logs), m => m.Contains("InvalidTLSCipherSuite", StringComparison.Ordinal));
        Assert.DoesNotContain(SecurityEvents(logs), m => m.Contains("InvalidTLSVersion", StringComparison.Ordinal) || m.Contains("InvalidCentralSystemCertificate", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task With_a_client_certificate_a_handshake_failure_alert_is_not_taken_for_InvalidTLSCipherSuite()
    {
        // On profile 3 the same alert is what a server sends when it refuses the client certificate: not reported as a
        // cipher-suite problem.
        var logs = await ConnectToAServerSharingNoCipherSuiteAsync(withClientCertificate: true);

        Assert.DoesNotContain(SecurityEvents(logs), m => m.Contains("InvalidTLSCipherSuite", StringComparison.Ordinal));
    }

    /// <summary>
    /// Runs a charge point (profile 2, or 3 with a client certificate) against a TLS 1.2 server whose only cipher suite
    /// cannot be used with its key, until the server has refused three handshakes; returns the charge point's log.
    /// </summary>
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static async Task<LogCollector> ConnectToAServerSharingNoCipherSuiteAsync(bool withClientCertificate)
    {
        var root = TestPki.CreateRootCa("TLS Events Root", "Test CPO");
        using var serverCertificate = TestPki.IssueServerCertificate(root);

        // TLS 1.2 only, with one suite whose key exchange does not fit the server's own key: the server has no usable
        // suite for any client and answers the ClientHello with a handshake_failure alert.
        var suite = serverCertificate.GetECDsaPublicKey() is not null
            ? TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
            : TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
        var serverOptions = new SslServerAuthenticationOptions
        {
            ServerCertificate = serverCertificate,
            EnabledSslProtocols = SslProtocols.Tls12,
            CipherSuitesPolicy = new CipherSuitesPolicy([suite]),
        };
        await using var server = TlsServer.Start(serverOptions);

        var logs = new LogCollector();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        var directory = Directory.CreateTempSubdirectory("ocpp16-tls-events-");
        try
        {
            var options = new ChargePointOptions
            {
                Identity = "CP-TLS-EVENTS",
                CentralSystemUri = new Uri($"wss://127.0.0.1:{server.Port}/ocpp"),
                SecurityProfile = withClientCertificate ? 3 : 2,
                Password = withClientCertificate ? null : "tls-events-authorization-key",
                ClientCertificate = withClientCertificate ? TestPki.IssueClientCertificate(root, "CP-TLS-EVENTS") : null,
                DataDirectory = directory.FullName,
                ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
                ReconnectMaxDelay = TimeSpan.FromSeconds(1),
                ReconnectRandomRange = TimeSpan.Zero,
            };
            options.FeatureProfiles.Add(OcppFeatureProfile.Security);
            options.CentralSystemRootCertificates.Add(TestPki.PublicOnly(root));
            await using var chargePoint = new ChargePointClient(options, new SimulatedChargePointHardware(1), loggerFactory);
            await chargePoint.StartAsync();

            // Refused handshakes, not just connections: the attempts reached the TLS layer and failed there.
            await Wait.UntilAsync(() => server.RefusedHandshakes >= 3, Timeout, "three refused TLS handshakes");
            await Task.Delay(300); // the last attempt's outcome reaches the engine's loop
            return logs;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> SecurityEvents(LogCollector logs)
        => logs.Entries.Where(e => e.EventId.Id == 3038).Select(e => e.Message).ToList();

    /// <summary>A bare TLS listener on 127.0.0.1 that runs the server side of each handshake and then closes.</summary>
    private sealed class TlsServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private int _refused;

        private TlsServer(SslServerAuthenticationOptions options)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _loop = AcceptAsync(options);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        /// <summary>Handshakes the server side failed with an <see cref="AuthenticationException"/>.</summary>
        public int RefusedHandshakes => Volatile.Read(ref _refused);

        public static TlsServer Start(SslServerAuthenticationOptions options) => new(options);

        private async Task AcceptAsync(SslServerAuthenticationOptions options)
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                using (client)
                {
                    await using var tls = new SslStream(client.GetStream());
                    try
                    {
                        await tls.AuthenticateAsServerAsync(options, _stop.Token);
                    }
                    catch (AuthenticationException)
                    {
                        Interlocked.Increment(ref _refused);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException)
                    {
                        // The client went away first.
                    }
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
            _stop.Dispose();
        }
    }
}
