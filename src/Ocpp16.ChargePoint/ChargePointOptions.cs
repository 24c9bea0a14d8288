namespace Ocpp16.ChargePoint;

/// <summary>Options of a <see cref="ChargePoint"/>. Each property's documentation states its default.</summary>
public sealed class ChargePointOptions
{
    private int _securityProfile;

    /// <summary>The charge point identity (ChargeBoxIdentity): the last path segment of the connection URL and the Basic auth user. Required.</summary>
    public string Identity { get; set; } = string.Empty;

    /// <summary>
    /// The Central System's base URL, e.g. <c>ws://127.0.0.1:8180/ocpp</c>; the charge point connects to
    /// <c>{CentralSystemUri}/{Identity}</c> (OCPP-J 1.6 §3.1). Required.
    /// </summary>
    public Uri? CentralSystemUri { get; set; }

    /// <summary>The HTTP Basic auth password (security profiles 1 and 2; the AuthorizationKey), or <see langword="null"/> for none. Never logged. Default <see langword="null"/>.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The security profile (OCPP 1.6 Security Whitepaper ed. 3, §2 "Security Profiles"), checked at construction:
    /// <list type="bullet">
    /// <item>0 (default): none enforced; the connection is what the other options say (ws or wss per
    /// <see cref="CentralSystemUri"/>, Basic auth when <see cref="Password"/> is set, a client certificate when
    /// <see cref="ClientCertificate"/> is set, the Central System certificate checked against
    /// <see cref="CentralSystemRootCertificates"/> when given, otherwise against the system's trust store).</item>
    /// <item>1: HTTP Basic auth (<see cref="Password"/> required); ws or wss.</item>
    /// <item>2: TLS (wss required) plus Basic auth; the Central System certificate must chain to
    /// <see cref="CentralSystemRootCertificates"/> (required) and match the host name.</item>
    /// <item>3: TLS (wss required) with <see cref="ClientCertificate"/> (required) and
    /// <see cref="CentralSystemRootCertificates"/> (required); no Basic auth is sent.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 0, 1, 2 or 3.</exception>
    public int SecurityProfile
    {
        get => _securityProfile;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 0);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 3);
            _securityProfile = value;
        }
    }

    /// <summary>
    /// The installed CentralSystemRootCertificate(s) (security profiles 2 and 3): the Central System's TLS certificate
    /// must chain to one of these; the system's trust store is then not used, and the host name is still checked.
    /// Read when connecting. Default empty: the system's trust store (allowed with profiles 0 and 1 only).
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection CentralSystemRootCertificates { get; } = [];

    /// <summary>
    /// The ChargePointCertificate (with its private key) presented as the TLS client certificate (security profile 3;
    /// the Central System checks that its subject CN is this charge point). Default <see langword="null"/>: none.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; set; }

    /// <summary>BootNotification.chargePointVendor, at most 20 characters. Default <c>"Ocpp16"</c>.</summary>
    public string ChargePointVendor { get; set; } = "Ocpp16";

    /// <summary>BootNotification.chargePointModel, at most 20 characters. Default <c>"Ocpp16 ChargePoint"</c>.</summary>
    public string ChargePointModel { get; set; } = "Ocpp16 ChargePoint";

    /// <summary>BootNotification.chargePointSerialNumber, at most 25 characters. Default <see langword="null"/>.</summary>
    public string? ChargePointSerialNumber { get; set; }

    /// <summary>BootNotification.chargeBoxSerialNumber, at most 25 characters. Default <see langword="null"/>.</summary>
    public string? ChargeBoxSerialNumber { get; set; }

    /// <summary>BootNotification.firmwareVersion, at most 50 characters. Default <see langword="null"/>.</summary>
    public string? FirmwareVersion { get; set; }

    /// <summary>BootNotification.meterType, at most 25 characters. Default <see langword="null"/>.</summary>
    public string? MeterType { get; set; }

    /// <summary>BootNotification.meterSerialNumber, at most 25 characters. Default <see langword="null"/>.</summary>
    public string? MeterSerialNumber { get; set; }

    /// <summary>
    /// Folder for durable state (SQLite file <c>ocpp16-chargepoint.db</c>): the queue of transaction messages and the
    /// transactions they belong to, so neither a crash nor a power loss loses a StartTransaction, MeterValues or
    /// StopTransaction; a transaction interrupted by power loss is stopped with reason PowerLoss when the charge point
    /// is back (OCPP 1.6 §4.10). Also the configuration values changed through ChangeConfiguration (OCPP 1.6 §5.3,
    /// §9), saved before the Accepted answer is sent and applied on the next start over the defaults and
    /// <see cref="Configuration"/> (read-only keys are never loaded). A database of an earlier version opens and gains
    /// the tables it lacks. Default <see langword="null"/>: kept in memory only.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// Schema validation per action and direction (WIRE-BEHAVIOUR.md): strict by default; see
    /// <see cref="Ocpp16.Messages.OcppValidationPolicy"/>. Violations are reported through <see cref="ChargePoint.PayloadViolation"/>.
    /// </summary>
    public Ocpp16.Messages.OcppValidationPolicy Validation { get; set; } = new();

    /// <summary>
    /// With WebSocketPingInterval &gt; 0: how long to wait for the pong answering each ping before the connection is
    /// considered dead and re-established. Default 10 s.
    /// </summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to wait for the answer to a CALL. Default 30 s.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// First delay before reconnecting after the connection was lost or refused (the Security Whitepaper's
    /// RetryBackOffWaitMinimum); doubles after each further failure, <see cref="ReconnectMaxDoublings"/> times at most
    /// and never beyond <see cref="ReconnectMaxDelay"/>. Default 1 s.
    /// </summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times the reconnection delay doubles (RetryBackOffRepeatTimes). Default 6 (1 s → 64 s, capped by <see cref="ReconnectMaxDelay"/>).</summary>
    public int ReconnectMaxDoublings { get; set; } = 6;

    /// <summary>Largest random time added to each reconnection delay, so stations do not reconnect in step (RetryBackOffRandomRange). Default 1 s.</summary>
    public TimeSpan ReconnectRandomRange { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest delay between reconnection attempts. Default 60 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Opens the connection instead of the WebSocket client, e.g. one end of <c>InMemoryOcppTransport.CreatePair()</c>
    /// in tests. Called for every (re)connection attempt; an exception counts as a failed attempt. Default
    /// <see langword="null"/>: WebSocket to <c>{CentralSystemUri}/{Identity}</c> with subprotocol <c>ocpp1.6</c>.
    /// </summary>
    public Func<CancellationToken, ValueTask<Ocpp16.Transport.IOcppTransport>>? TransportFactory { get; set; }

    /// <summary>
    /// Initial values of configuration keys (OCPP 1.6 §9), overriding the defaults, e.g.
    /// <c>["HeartbeatInterval"] = "60"</c>. Unknown keys are rejected at construction. With <see cref="DataDirectory"/>
    /// set, a value the Central System changed in an earlier run wins over the value given here (as on a real station;
    /// delete the data directory to return to these values). Default empty.
    /// </summary>
    public IDictionary<string, string> Configuration { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Identity))
        {
            throw new ArgumentException("ChargePointOptions.Identity is required.");
        }

        if (CentralSystemUri is null && TransportFactory is null)
        {
            throw new ArgumentException("ChargePointOptions.CentralSystemUri is required.");
        }

        if (ChargePointVendor.Length is 0 or > 20 || ChargePointModel.Length is 0 or > 20)
        {
            throw new ArgumentException("ChargePointVendor and ChargePointModel must have 1 to 20 characters.");
        }

        if (CallTimeout <= TimeSpan.Zero || ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay || ReconnectMaxDoublings < 0 || ReconnectRandomRange < TimeSpan.Zero)
        {
            throw new ArgumentException("CallTimeout and ReconnectMinDelay must be positive, ReconnectMaxDelay at least ReconnectMinDelay, ReconnectMaxDoublings and ReconnectRandomRange not negative.");
        }

        Security.ChargePointSecurity.Validate(this);
    }
}
