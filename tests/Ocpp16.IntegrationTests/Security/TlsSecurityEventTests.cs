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
/// it gives InvalidTLSCipherSuite, not InvalidTLSVersion nor InvalidCentralSystemCertificate.
/// </summary>
public sealed class TlsSecurityEventTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // CipherSuitesPolicy: Linux and macOS (OpenSSL); CI runs on Linux
    public async Task A_server_sharing_no_cipher_suite_is_reported_as_InvalidTLSCipherSuite()
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
                SecurityProfile = 2,
                Password = "tls-events-authorization-key",
                DataDirectory = directory.FullName,
                ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
                ReconnectMaxDelay = TimeSpan.FromSeconds(1),
                ReconnectRandomRange = TimeSpan.Zero,
            };
            options.FeatureProfiles.Add(OcppFeatureProfile.Security);
            options.CentralSystemRootCertificates.Add(TestPki.PublicOnly(root));
            await using var chargePoint = new ChargePointClient(options, new SimulatedChargePointHardware(1), loggerFactory);
            await chargePoint.StartAsync();

            await Wait.UntilAsync(() => SecurityEvents(logs).Any(m => m.Contains("InvalidTLSCipherSuite", StringComparison.Ordinal)), Timeout, "the InvalidTLSCipherSuite security event");
            Assert.True(server.Handshakes > 0, "the charge point reached the TLS server");
            Assert.DoesNotContain(SecurityEvents(logs), m => m.Contains("InvalidTLSVersion", StringComparison.Ordinal) || m.Contains("InvalidCentralSystemCertificate", StringComparison.Ordinal));
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
        private int _handshakes;

        private TlsServer(SslServerAuthenticationOptions options)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _loop = AcceptAsync(options);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Handshakes => Volatile.Read(ref _handshakes);

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
                    Interlocked.Increment(ref _handshakes);
                    await using var tls = new SslStream(client.GetStream());
                    try
                    {
                        await tls.AuthenticateAsServerAsync(options, _stop.Token);
                    }
                    catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
                    {
                        // Refused, as intended.
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
