using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Ocpp16.CentralSystem.Security;
using Ocpp16.ChargePoint;
using Ocpp16.ChargePoint.Simulation;
using Ocpp16.Transport;
using ChargePointClient = Ocpp16.ChargePoint.OcppChargePoint;

namespace Ocpp16.IntegrationTests.Security;

/// <summary>
/// One PKI (CSMS root → server certificate; charge point root → client certificates; a rogue root) and one secure
/// Central System shared by the security profile tests.
/// </summary>
public sealed class SecurityFixture : IAsyncLifetime
{
    public const string Cpo = "Test CPO";
    public const string P1Id = "CP-P1";
    public const string P1Password = "p1-AuthorizationKey-0123";
    public const string P2Id = "CP-P2";
    public const string P2PinnedId = "CP-P2-PINNED";
    public const string P2Password = "p2-AuthorizationKey-4567";
    public const string P3Id = "CP-P3";
    public const string P3SerialId = "CP-P3-BY-SERIAL";
    public const string P3Serial = "SN-000042";

    public X509Certificate2 CsmsRoot { get; } = TestPki.CreateRootCa("Test CSMS Root CA", Cpo);

    public X509Certificate2 ChargePointRoot { get; } = TestPki.CreateRootCa("Test Charge Point Root CA", Cpo);

    public X509Certificate2 RogueRoot { get; } = TestPki.CreateRootCa("Rogue Root CA", Cpo);

    public X509Certificate2 ServerCertificate => _serverCertificate ??= TestPki.IssueServerCertificate(CsmsRoot);

    internal SecureCentralSystem Server { get; private set; } = null!;

    internal LogCollector Logs { get; } = new();

    private X509Certificate2? _serverCertificate;

    public async Task InitializeAsync()
    {
        var store = new ChargePointCredentialStore { CertificateOrganization = Cpo };
        store.ChargePointCertificateRoots.Add(TestPki.PublicOnly(ChargePointRoot));
        store.SetPassword(P1Id, P1Password, securityProfile: 1);
        store.SetPasswordHash(P2Id, ChargePointCredentialStore.HashPassword(P2Password), securityProfile: 2);
        store.SetPassword(P2PinnedId, P2Password, securityProfile: 2);
        store.SetClientCertificate(P3Id);
        store.SetClientCertificate(P3SerialId, commonName: P3Serial);
        Server = await SecureCentralSystem.StartAsync(ServerCertificate, store, loggerProvider: Logs);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The installed CentralSystemRootCertificate(s) of a well-configured charge point.</summary>
    public X509Certificate2Collection CsmsRoots => [TestPki.PublicOnly(CsmsRoot)];

    internal static ChargePointClient CreateChargePoint(string id, Uri csms, int securityProfile, string? password = null, X509Certificate2? clientCertificate = null, X509Certificate2Collection? roots = null)
    {
        var options = new ChargePointOptions
        {
            Identity = id,
            CentralSystemUri = csms,
            SecurityProfile = securityProfile,
            Password = password,
            ClientCertificate = clientCertificate,
            CallTimeout = TimeSpan.FromSeconds(10),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(200),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };
        if (roots is not null)
        {
            options.CentralSystemRootCertificates.AddRange(roots);
        }

        return new ChargePointClient(options, new SimulatedChargePointHardware(1));
    }

    /// <summary>
    /// Runs an OCPP-J WebSocket handshake like the library's client does and returns the HTTP status: 101 when
    /// upgraded (then closed), the refusal status otherwise, 0 when TLS failed before any HTTP answer.
    /// </summary>
    internal async Task<(int Status, Exception? Error)> HandshakeAsync(Uri baseUri, string id, string? password = null, X509Certificate2? clientCertificate = null, RemoteCertificateValidationCallback? validator = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.AddSubProtocol(OcppWebSocketClient.SubProtocol);
        if (password is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(id + ":" + password)));
        }

        if (clientCertificate is not null)
        {
            socket.Options.ClientCertificates = [clientCertificate];
        }

        socket.Options.RemoteCertificateValidationCallback = validator ?? OcppCertificateValidation.CreateServerCertificateValidator(CsmsRoots);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await socket.ConnectAsync(new Uri(baseUri + "/" + Uri.EscapeDataString(id)), timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "probe", timeout.Token);
            return (101, null);
        }
        catch (WebSocketException e)
        {
            return ((int)socket.HttpStatusCode, e);
        }
    }
}

/// <summary>Collects every log line (rendered) so tests can check what was logged and that no secret was.</summary>
internal sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId EventId, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Entries.Enqueue((category, logLevel, eventId, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
    }
}
