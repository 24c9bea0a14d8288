using Ocpp16.Messages;

namespace Ocpp16.ChargePoint;

/// <summary>How diagnostics and logs are uploaded to an http:// or https:// location (<see cref="ChargePointOptions.FileUploadMethod"/>).</summary>
public enum FileUploadMethod
{
    /// <summary>HTTP PUT with the file as the body (<c>application/octet-stream</c>) to the location, the file name appended when the location ends with <c>/</c>.</summary>
    Put,

    /// <summary>HTTP POST to the location of a <c>multipart/form-data</c> body with one part named <c>file</c> carrying the file name.</summary>
    Post,
}

/// <summary>
/// Options of an <see cref="OcppChargePoint"/>. Each property's documentation states its default. Bind them from
/// configuration with <c>services.AddOcpp16ChargePoint(configuration.GetSection("ChargePoint"))</c>; they are checked
/// at construction (and at start-up under the generic host) with errors that name the option.
/// </summary>
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

    /// <summary>
    /// The Central System URL to use under a security profile when it is not <see cref="CentralSystemUri"/>: a Central
    /// System may serve each profile on an address or port of its own (Security Whitepaper A00.FR.006), e.g.
    /// <c>{ [3] = wss://csms.example.com:8443/ocpp }</c> for a charge point that starts on profile 1 at
    /// <c>ws://csms.example.com:8180/ocpp</c> and is raised to profile 3 by ChangeConfiguration SecurityProfile.
    /// Keys 0 to 3; profiles 2 and 3 need wss://. Default empty: <see cref="CentralSystemUri"/> for every profile.
    /// </summary>
    public IDictionary<int, Uri> SecurityProfileUris { get; } = new Dictionary<int, Uri>();

    /// <summary>
    /// The ManufacturerRootCertificate(s) installed at the factory (Security extension): the certificate that signs a
    /// firmware image (SignedUpdateFirmware) must chain to one of them. Stored at the first start with the Security
    /// profile; afterwards InstallCertificate and DeleteCertificate manage them (the stored ones win). Default empty.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection ManufacturerRootCertificates { get; } = [];

    /// <summary>
    /// The roots an https:// firmware or diagnostics server's certificate must chain to (custom root trust, host name
    /// checked). Default empty: the system's trust store.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection FileTransferRootCertificates { get; } = [];

    /// <summary>
    /// How diagnostics and logs (GetDiagnostics, GetLog) are uploaded to an http:// or https:// location: HTTP PUT of the
    /// file as the body (<see cref="FileUploadMethod.Put"/>, the default) or HTTP POST of a multipart/form-data body with
    /// one part named <c>file</c> (<see cref="FileUploadMethod.Post"/>). FTP locations are uploaded with STOR.
    /// </summary>
    public FileUploadMethod FileUploadMethod { get; set; } = FileUploadMethod.Put;

    /// <summary>
    /// Whether a firmware download (UpdateFirmware, SignedUpdateFirmware) may run while a transaction runs. Default
    /// <see langword="false"/>, as on the reference DC station: the download waits until no transaction runs
    /// (DownloadScheduled) and pauses when one starts (DownloadPaused). The installation always waits for the
    /// transactions to end, with the free connectors Unavailable meanwhile (OCPP 1.6 §5.19).
    /// </summary>
    public bool FirmwareDownloadDuringTransactions { get; set; }

    /// <summary>Problems found while binding from configuration (a certificate file that cannot be read), reported by <see cref="FindProblems"/>.</summary>
    internal List<string> ConfigurationProblems { get; } = [];

    /// <summary>Replaces the file transfer client (tests: transfers on virtual time).</summary>
    internal Features.FirmwareManagement.IFileTransfer? FileTransfer { get; set; }

    /// <summary>The Central System URL for <paramref name="profile"/>: <see cref="SecurityProfileUris"/>, else <see cref="CentralSystemUri"/>.</summary>
    internal Uri? UriFor(int profile) => SecurityProfileUris.TryGetValue(profile, out var uri) ? uri : CentralSystemUri;

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

    /// <summary>BootNotification.iccid (the modem's SIM card), at most 20 characters. Default <see langword="null"/>.</summary>
    public string? Iccid { get; set; }

    /// <summary>BootNotification.imsi (the modem's subscriber identity), at most 20 characters. Default <see langword="null"/>.</summary>
    public string? Imsi { get; set; }

    /// <summary>
    /// The feature profiles to run (Core must be among them): each is a module of the engine; a profile left out (e.g.
    /// <c>options.FeatureProfiles.Remove(OcppFeatureProfile.SmartCharging)</c>) answers its CS→CP actions with the
    /// CALLERROR NotSupported, declares none of its configuration keys and is absent from SupportedFeatureProfiles.
    /// Default: the six feature profiles of OCPP 1.6 — Core, FirmwareManagement, LocalAuthListManagement, Reservation,
    /// RemoteTrigger and SmartCharging. The Security extension (<see cref="OcppFeatureProfile.Security"/>, Security
    /// Whitepaper ed. 3) is opt-in: it sends SecurityEventNotification, which a Central System without the extension
    /// does not know, and needs certificates for profiles 2 and 3.
    /// </summary>
    public ISet<OcppFeatureProfile> FeatureProfiles { get; } = new HashSet<OcppFeatureProfile>(OcppChargePoint.AvailableProfiles.Where(p => p != OcppFeatureProfile.Security));

    /// <summary>
    /// Vendor-specific configuration keys, read by GetConfiguration and changed by ChangeConfiguration like the OCPP
    /// keys; declaring a built-in key again (same name and type) replaces its declaration (to narrow only the range of an
    /// integer key, use <see cref="ConfigurationKeyRanges"/>). Default empty.
    /// </summary>
    public IList<ConfigurationKeyDefinition> ConfigurationKeys { get; } = [];

    /// <summary>
    /// Narrower ranges for integer configuration keys (OCPP 1.6 §9), by key name (case-insensitive), for a station that
    /// declares less than the engine's ranges (docs/configuration-keys.md), e.g. <c>["HeartbeatInterval"] = new() {
    /// Minimum = 0, Maximum = 60 }</c> (seconds). ChangeConfiguration then answers Rejected for a value outside the range
    /// (§5.3), the interval of BootNotification.conf is clamped into it, and a value saved by an earlier run outside it is
    /// not applied. Applied after <see cref="ConfigurationKeys"/> and before <see cref="Configuration"/>. From
    /// configuration: <c>ChargePoint:ConfigurationKeyRanges:HeartbeatInterval:Maximum</c>. An unknown key, a key that is
    /// not an integer, an empty range, a range beyond the declared one, or a value (default or <see cref="Configuration"/>)
    /// outside it throws <see cref="ArgumentException"/> at construction. Default empty: the declared ranges.
    /// </summary>
    public IDictionary<string, ConfigurationKeyRange> ConfigurationKeyRanges { get; } = new Dictionary<string, ConfigurationKeyRange>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The most IdTags the authorization cache keeps; beyond it the least recently answered goes. Default 1000.</summary>
    public int AuthorizationCacheCapacity { get; set; } = 1000;

    /// <summary>
    /// Folder for the durable state (<see cref="Persistence.SqliteChargePointStorage"/>, file
    /// <c>ocpp16-chargepoint.db</c>): the transaction journal, so neither a crash nor a power loss loses or duplicates a
    /// StartTransaction, MeterValues or StopTransaction and a transaction interrupted by a power loss is stopped with
    /// reason PowerLoss once the charge point is back (OCPP 1.6 §4.10); the configuration values changed through
    /// ChangeConfiguration (§5.3), saved before the answer and applied at every later start over the defaults and
    /// <see cref="Configuration"/>; connector availability; the authorization cache; and the state of every feature
    /// profile. Databases of earlier versions are migrated. Default <see langword="null"/>: kept in memory (lost when
    /// the process ends), unless a storage is passed to the <see cref="OcppChargePoint"/> constructor.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// Schema validation per action and direction (docs/wire-behaviour.md): strict by default; see
    /// <see cref="Ocpp16.Messages.OcppValidationPolicy"/>. Violations are reported through <see cref="OcppChargePoint.PayloadViolation"/>.
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

    /// <summary>The folder where firmware is downloaded and logs are collected: <c>{DataDirectory}/files</c>, else a folder of the temporary path.</summary>
    internal string FilesDirectory => DataDirectory is { Length: > 0 } directory
        ? Path.Combine(directory, "files")
        : Path.Combine(Path.GetTempPath(), "ocpp16-" + string.Concat(Identity.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')));

    /// <summary>Checks the options; every problem names the option.</summary>
    /// <returns>The problems found; empty when the options are valid.</returns>
    internal List<string> FindProblems()
    {
        var problems = new List<string>(ConfigurationProblems);
        if (string.IsNullOrWhiteSpace(Identity))
        {
            problems.Add("ChargePointOptions.Identity is required.");
        }
        else if (Identity.Length > 48 || Identity.Any(c => char.IsControl(c) || c is '/' or '?' or '#'))
        {
            problems.Add("ChargePointOptions.Identity must have at most 48 characters and no '/', '?', '#' or control characters.");
        }

        if (CentralSystemUri is null && TransportFactory is null)
        {
            problems.Add("ChargePointOptions.CentralSystemUri is required.");
        }
        else if (CentralSystemUri is { } uri && (!uri.IsAbsoluteUri || uri.Scheme is not ("ws" or "wss")))
        {
            problems.Add("ChargePointOptions.CentralSystemUri must be an absolute ws:// or wss:// URL.");
        }

        CheckLength(problems, nameof(ChargePointVendor), ChargePointVendor, 20, required: true);
        CheckLength(problems, nameof(ChargePointModel), ChargePointModel, 20, required: true);
        CheckLength(problems, nameof(ChargePointSerialNumber), ChargePointSerialNumber, 25);
        CheckLength(problems, nameof(ChargeBoxSerialNumber), ChargeBoxSerialNumber, 25);
        CheckLength(problems, nameof(FirmwareVersion), FirmwareVersion, 50);
        CheckLength(problems, nameof(MeterType), MeterType, 25);
        CheckLength(problems, nameof(MeterSerialNumber), MeterSerialNumber, 25);
        CheckLength(problems, nameof(Iccid), Iccid, 20);
        CheckLength(problems, nameof(Imsi), Imsi, 20);
        if (CallTimeout <= TimeSpan.Zero)
        {
            problems.Add("ChargePointOptions.CallTimeout must be positive.");
        }

        if (ReconnectMinDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay)
        {
            problems.Add("ChargePointOptions.ReconnectMinDelay must be positive and ReconnectMaxDelay at least ReconnectMinDelay.");
        }

        if (ReconnectMaxDoublings < 0 || ReconnectRandomRange < TimeSpan.Zero || PongTimeout <= TimeSpan.Zero)
        {
            problems.Add("ChargePointOptions.ReconnectMaxDoublings and ReconnectRandomRange must not be negative, PongTimeout must be positive.");
        }

        if (AuthorizationCacheCapacity < 1)
        {
            problems.Add("ChargePointOptions.AuthorizationCacheCapacity must be at least 1.");
        }

        if (!FeatureProfiles.Contains(OcppFeatureProfile.Core))
        {
            problems.Add("ChargePointOptions.FeatureProfiles must contain Core.");
        }

        foreach (var profile in FeatureProfiles.Where(p => !OcppChargePoint.AvailableProfiles.Contains(p)))
        {
            problems.Add($"ChargePointOptions.FeatureProfiles: the {profile} profile is not available in this version.");
        }

        try
        {
            Security.ChargePointSecurity.Validate(this);
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
        }

        return problems;
    }

    /// <summary>Throws when the options are invalid.</summary>
    /// <exception cref="ArgumentException">Every problem found, one per line.</exception>
    internal void Validate()
    {
        var problems = FindProblems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }
    }

    private static void CheckLength(List<string> problems, string name, string? value, int max, bool required = false)
    {
        if (required && string.IsNullOrEmpty(value))
        {
            problems.Add($"ChargePointOptions.{name} is required.");
        }
        else if (value is { Length: var length } && length > max)
        {
            problems.Add($"ChargePointOptions.{name} must have at most {max} characters (BootNotification.req).");
        }
    }
}
