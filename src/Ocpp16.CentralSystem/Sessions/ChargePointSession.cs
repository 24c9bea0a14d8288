using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>
/// What the Central System knows of one charge point across its connections, kept by the library from the CALLs it
/// dispatches (whoever answers them): the last BootNotification and the registration status the application answered
/// (OCPP 1.6 §4.2), each connector's last StatusNotification (§4.9), the last Heartbeat (§4.6) and when the charge point
/// was last heard from. Kept in memory for the life of the process; <see cref="ConnectedChargePoint.Session"/> and
/// <see cref="OcppCentralSystem.TryGetSession"/> expose it. Thread-safe; every property is a consistent snapshot.
/// </summary>
public sealed class ChargePointSession
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, ConnectorStatus> _connectors = [];
    private long _lastSeenTicks;
    private BootNotificationRequest? _boot;
    private DateTimeOffset? _bootedAt;
    private RegistrationStatus? _registration;
    private TimeSpan? _interval;
    private DateTimeOffset? _lastHeartbeat;
    private readonly Queue<ChargePointSecurityEvent> _securityEvents = new();
    private TransferStatus? _firmwareStatus;
    private TransferStatus? _diagnosticsStatus;
    private TransferStatus? _logStatus;
    private CertificateSignedStatus? _certificateSigned;

    /// <summary>How many security events <see cref="SecurityEvents"/> keeps.</summary>
    public const int SecurityEventCapacity = 100;

    internal ChargePointSession(string chargePointId) => ChargePointId = chargePointId;

    /// <summary>The charge point identity.</summary>
    public string ChargePointId { get; }

    /// <summary>The last BootNotification received (vendor, model, serial numbers, firmware), or <see langword="null"/> when none was received since this Central System started.</summary>
    public BootNotificationRequest? BootNotification
    {
        get
        {
            lock (_gate)
            {
                return _boot;
            }
        }
    }

    /// <summary>When the last BootNotification was answered (UTC, this Central System's clock).</summary>
    public DateTimeOffset? BootedAt
    {
        get
        {
            lock (_gate)
            {
                return _bootedAt;
            }
        }
    }

    /// <summary>
    /// The registration status the application answered to the last BootNotification (Accepted, Pending or Rejected,
    /// OCPP 1.6 §4.2), or <see langword="null"/> when none was answered since this Central System started. Enforced per
    /// <see cref="CentralSystemOptions.EnforceRegistrationStatus"/>. It changes when the answer is produced, just before
    /// it goes on the wire: a call made on seeing it change may reach the charge point before its BootNotification.conf
    /// (whose interval then overwrites a HeartbeatInterval just changed); to call the charge point after its answer, use
    /// <see cref="ConnectedChargePoint.AfterResponse"/> in the BootNotification handler.
    /// </summary>
    public RegistrationStatus? RegistrationStatus
    {
        get
        {
            lock (_gate)
            {
                return _registration;
            }
        }
    }

    /// <summary>The interval answered with the last BootNotification: the heartbeat interval when Accepted, the retry wait otherwise.</summary>
    public TimeSpan? Interval
    {
        get
        {
            lock (_gate)
            {
                return _interval;
            }
        }
    }

    /// <summary>When the last Heartbeat was received (UTC, this Central System's clock).</summary>
    public DateTimeOffset? LastHeartbeat
    {
        get
        {
            lock (_gate)
            {
                return _lastHeartbeat;
            }
        }
    }

    /// <summary>When the charge point last sent a CALL or connected (UTC, this Central System's clock).</summary>
    public DateTimeOffset? LastSeen
    {
        get
        {
            var ticks = Volatile.Read(ref _lastSeenTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Each connector's last reported status, by connector id (0 = the charge point as a whole), ascending.</summary>
    public IReadOnlyList<ConnectorStatus> Connectors
    {
        get
        {
            lock (_gate)
            {
                var list = _connectors.Values.ToList();
                list.Sort(static (a, b) => a.ConnectorId.CompareTo(b.ConnectorId));
                return list;
            }
        }
    }

    /// <summary>The last reported status of one connector.</summary>
    /// <param name="connectorId">0 for the charge point as a whole, or 1..n.</param>
    /// <returns>The status, or <see langword="null"/> when that connector has not reported one.</returns>
    public ConnectorStatus? GetConnector(int connectorId)
    {
        lock (_gate)
        {
            return _connectors.GetValueOrDefault(connectorId);
        }
    }

    /// <summary>
    /// The last firmware update status: FirmwareStatusNotification (OCPP 1.6 §4.5) or SignedFirmwareStatusNotification
    /// with its requestId (Security Whitepaper L01), or <see langword="null"/> when none was received.
    /// </summary>
    public TransferStatus? FirmwareStatus
    {
        get
        {
            lock (_gate)
            {
                return _firmwareStatus;
            }
        }
    }

    /// <summary>The last DiagnosticsStatusNotification status (OCPP 1.6 §4.4), or <see langword="null"/>.</summary>
    public TransferStatus? DiagnosticsStatus
    {
        get
        {
            lock (_gate)
            {
                return _diagnosticsStatus;
            }
        }
    }

    /// <summary>The last LogStatusNotification status with its requestId (Security Whitepaper N01: the GetLog upload), or <see langword="null"/>.</summary>
    public TransferStatus? LogStatus
    {
        get
        {
            lock (_gate)
            {
                return _logStatus;
            }
        }
    }

    /// <summary>The charge point's answer to the last CertificateSigned.req sent by <c>AnswerSignCertificateAsync</c> or the default SignCertificate route, or <see langword="null"/>.</summary>
    public CertificateSignedStatus? CertificateSignedStatus
    {
        get
        {
            lock (_gate)
            {
                return _certificateSigned;
            }
        }
    }

    /// <summary>The last <see cref="SecurityEventCapacity"/> SecurityEventNotifications (Security Whitepaper A04), oldest first.</summary>
    public IReadOnlyList<ChargePointSecurityEvent> SecurityEvents
    {
        get
        {
            lock (_gate)
            {
                return [.. _securityEvents];
            }
        }
    }

    /// <summary>Returns the identity and registration status.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{ChargePointId} ({RegistrationStatus?.ToString() ?? "not booted"})";

    /// <summary>Raised after a message changed the session (the cluster shares it); the flag says whether the security events changed.</summary>
    internal event Action<ChargePointSession, bool>? Changed;

    internal void Seen(DateTimeOffset now) => Volatile.Write(ref _lastSeenTicks, now.UtcTicks);

    internal void OnBootNotification(BootNotificationRequest request, BootNotificationResponse response, DateTimeOffset now)
    {
        lock (_gate)
        {
            _boot = request;
            _bootedAt = now;
            _registration = response.Status;
            _interval = TimeSpan.FromSeconds(response.Interval);
        }

        Changed?.Invoke(this, false);
    }

    internal void OnHeartbeat(DateTimeOffset now)
    {
        lock (_gate)
        {
            _lastHeartbeat = now;
        }

        Changed?.Invoke(this, false);
    }

    internal void OnSecurityEvent(SecurityEventNotificationRequest request, DateTimeOffset now)
    {
        lock (_gate)
        {
            _securityEvents.Enqueue(new ChargePointSecurityEvent(request.Type, request.Timestamp, request.TechInfo, now));
            if (_securityEvents.Count > SecurityEventCapacity)
            {
                _securityEvents.Dequeue();
            }
        }

        Changed?.Invoke(this, true);
    }

    internal void OnTransferStatus(TransferKind kind, string status, int? requestId, DateTimeOffset now)
    {
        var value = new TransferStatus(kind, status, requestId, now);
        lock (_gate)
        {
            switch (kind)
            {
                case TransferKind.Diagnostics:
                    _diagnosticsStatus = value;
                    break;
                case TransferKind.Log:
                    _logStatus = value;
                    break;
                default:
                    _firmwareStatus = value;
                    break;
            }
        }

        Changed?.Invoke(this, false);
    }

    internal void OnCertificateSigned(CertificateSignedStatus status)
    {
        lock (_gate)
        {
            _certificateSigned = status;
        }

        Changed?.Invoke(this, false);
    }

    internal void OnStatusNotification(StatusNotificationRequest request, DateTimeOffset now)
    {
        var status = new ConnectorStatus(request.ConnectorId, request.Status, request.ErrorCode, request.Info, request.VendorId, request.VendorErrorCode, request.Timestamp, now);
        lock (_gate)
        {
            _connectors[request.ConnectorId] = status;
        }

        Changed?.Invoke(this, false);
    }

    /// <summary>
    /// The session as the cluster carries it to the other nodes; the security events (up to
    /// <see cref="SecurityEventCapacity"/>) only when <paramref name="withSecurityEvents"/>, so that a heartbeat does not
    /// carry them again.
    /// </summary>
    internal Cluster.SessionSnapshot ToSnapshot(bool withSecurityEvents)
    {
        lock (_gate)
        {
            return new Cluster.SessionSnapshot
            {
                BootNotification = _boot is null ? null : Cluster.ClusterJson.Payload(_boot),
                BootedAt = _bootedAt,
                RegistrationStatus = _registration,
                IntervalSeconds = _interval?.TotalSeconds,
                LastHeartbeat = _lastHeartbeat,
                LastSeen = LastSeen,
                Connectors = [.. _connectors.Values],
                FirmwareStatus = _firmwareStatus,
                DiagnosticsStatus = _diagnosticsStatus,
                LogStatus = _logStatus,
                CertificateSignedStatus = _certificateSigned,
                SecurityEvents = withSecurityEvents ? [.. _securityEvents] : null,
            };
        }
    }

    /// <summary>Takes over the session of a charge point connected to another node of the cluster.</summary>
    internal void Apply(Cluster.SessionSnapshot snapshot)
    {
        BootNotificationRequest? boot = null;
        if (snapshot.BootNotification is { } json && BootNotificationRequest.TryRead(System.Text.Encoding.UTF8.GetBytes(json), null, out var read, out _))
        {
            boot = read;
        }

        lock (_gate)
        {
            _boot = boot;
            _bootedAt = snapshot.BootedAt;
            _registration = snapshot.RegistrationStatus;
            _interval = snapshot.IntervalSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
            _lastHeartbeat = snapshot.LastHeartbeat;
            _connectors.Clear();
            foreach (var connector in snapshot.Connectors)
            {
                _connectors[connector.ConnectorId] = connector;
            }

            _firmwareStatus = snapshot.FirmwareStatus;
            _diagnosticsStatus = snapshot.DiagnosticsStatus;
            _logStatus = snapshot.LogStatus;
            _certificateSigned = snapshot.CertificateSignedStatus;
            if (snapshot.SecurityEvents is { } securityEvents)
            {
                _securityEvents.Clear();
                foreach (var securityEvent in securityEvents.TakeLast(SecurityEventCapacity))
                {
                    _securityEvents.Enqueue(securityEvent);
                }
            }
        }

        if (snapshot.LastSeen is { } seen)
        {
            Seen(seen);
        }
    }

    /// <summary>Whether a CALL from the charge point is served under the registration policy (see <see cref="CentralSystemOptions.EnforceRegistrationStatus"/>).</summary>
    internal bool Admits(string action, CentralSystemOptions options)
    {
        if (!options.EnforceRegistrationStatus || action == BootNotificationRequest.ActionName)
        {
            return true;
        }

        RegistrationStatus? status;
        lock (_gate)
        {
            status = _registration;
        }

        return status switch
        {
            Messages.RegistrationStatus.Accepted => true,
            Messages.RegistrationStatus.Pending => action == HeartbeatRequest.ActionName,
            Messages.RegistrationStatus.Rejected => false,
            _ => !options.RequireBootNotification,
        };
    }

    /// <summary>Throws when the registration policy forbids sending <paramref name="action"/> now.</summary>
    internal void EnsureMaySend(string action, CentralSystemOptions options)
    {
        if (!options.EnforceRegistrationStatus)
        {
            return;
        }

        RegistrationStatus? status;
        lock (_gate)
        {
            status = _registration;
        }

        if (status == Messages.RegistrationStatus.Rejected
            || (status == Messages.RegistrationStatus.Pending && action is RemoteStartTransactionRequest.ActionName or RemoteStopTransactionRequest.ActionName))
        {
            throw new InvalidOperationException($"{action} is not sent to charge point {ChargePointId}: its registration status is {status} (OCPP 1.6 §4.2).");
        }
    }
}

/// <summary>A connector's last reported status (StatusNotification.req, OCPP 1.6 §4.9).</summary>
/// <param name="ConnectorId">0 for the charge point as a whole, or 1..n.</param>
/// <param name="Status">The status (Available, Preparing, Charging, …).</param>
/// <param name="ErrorCode">The error code (NoError when none).</param>
/// <param name="Info">Free-form additional information, at most 50 characters.</param>
/// <param name="VendorId">The vendor of <paramref name="VendorErrorCode"/>.</param>
/// <param name="VendorErrorCode">A vendor-specific error code, at most 50 characters.</param>
/// <param name="Timestamp">When the status was reached, as the charge point reported it.</param>
/// <param name="ReceivedAt">When this Central System received it (UTC).</param>
public sealed record ConnectorStatus(
    int ConnectorId,
    ChargePointStatus Status,
    ChargePointErrorCode ErrorCode,
    string? Info,
    string? VendorId,
    string? VendorErrorCode,
    DateTimeOffset? Timestamp,
    DateTimeOffset ReceivedAt);

/// <summary>What a status notification of a file transfer is about.</summary>
public enum TransferKind
{
    /// <summary>FirmwareStatusNotification (UpdateFirmware, OCPP 1.6 §4.5).</summary>
    Firmware,

    /// <summary>SignedFirmwareStatusNotification (SignedUpdateFirmware, Security Whitepaper L01).</summary>
    SignedFirmware,

    /// <summary>DiagnosticsStatusNotification (GetDiagnostics, OCPP 1.6 §4.4).</summary>
    Diagnostics,

    /// <summary>LogStatusNotification (GetLog, Security Whitepaper N01).</summary>
    Log,
}

/// <summary>The last status of a file transfer a charge point reported.</summary>
/// <param name="Kind">Which notification.</param>
/// <param name="Status">The status as on the wire, e.g. <c>Downloading</c>, <c>Uploaded</c>, <c>InvalidSignature</c>.</param>
/// <param name="RequestId">The requestId of SignedUpdateFirmware/GetLog, when the notification carries one.</param>
/// <param name="ReceivedAt">When it was received (UTC, this Central System's clock).</param>
public sealed record TransferStatus(TransferKind Kind, string Status, int? RequestId, DateTimeOffset ReceivedAt);

/// <summary>One SecurityEventNotification (Security Whitepaper A04).</summary>
/// <param name="Type">The event type, e.g. <c>FirmwareUpdated</c>, <c>TamperDetectionActivated</c>.</param>
/// <param name="Timestamp">When it happened (the charge point's clock).</param>
/// <param name="TechInfo">The additional information, or <see langword="null"/>.</param>
/// <param name="ReceivedAt">When it was received (UTC, this Central System's clock).</param>
public sealed record ChargePointSecurityEvent(string Type, DateTimeOffset Timestamp, string? TechInfo, DateTimeOffset ReceivedAt);
