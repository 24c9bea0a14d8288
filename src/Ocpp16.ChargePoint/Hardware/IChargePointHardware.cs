using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Hardware;

/// <summary>
/// The hardware an <see cref="OcppChargePoint"/> drives. Embedders implement it over their drivers (see
/// <c>samples/DcCharger/README.md</c>); <see cref="Simulation.SimulatedChargePointHardware"/> implements all of it.
/// Only <see cref="Connectors"/> is required: every other member has a default (none, or a reboot of the engine in
/// process), so a Core-only station implements little.
/// </summary>
/// <remarks>
/// Hardware reports what happens through events (push; raised on any thread, the charge point serializes them onto
/// its loop) and answers reads and commands (pull; called on the loop, so they should complete quickly, in
/// milliseconds).
/// </remarks>
public interface IChargePointHardware
{
    /// <summary>The connectors, numbered 1..n in this order (OCPP 1.6 §3.5: connector 0 is the charge point itself).</summary>
    IReadOnlyList<IConnector> Connectors { get; }

    /// <summary>The reader of id tokens (RFID cards, a keypad, a payment terminal), or <see langword="null"/> for none.</summary>
    IIdTokenReader? IdTokenReader => null;

    /// <summary>Where the effective Smart Charging limits go (OCPP 1.6 §3.13), or <see langword="null"/> for none.</summary>
    IChargingLimitSink? ChargingLimitSink => null;

    /// <summary>Installs downloaded firmware (Firmware Management, OCPP 1.6 §5.19), or <see langword="null"/> for none.</summary>
    IFirmwareInstaller? FirmwareInstaller => null;

    /// <summary>Collects diagnostics and logs for upload (GetDiagnostics §5.9, GetLog), or <see langword="null"/> for none.</summary>
    IDiagnosticsProvider? DiagnosticsProvider => null;

    /// <summary>Keeps the charge point's key pair and certificates (Security extension), or <see langword="null"/> for the charge point's storage.</summary>
    ICertificateStore? CertificateStore => null;

    /// <summary>
    /// Resets the charge point (Reset.req, OCPP 1.6 §5.14), after its transactions were stopped and their
    /// StopTransaction messages journaled. A Hard reset restarts the hardware; a Soft reset restarts the software.
    /// </summary>
    /// <param name="type">Hard or Soft.</param>
    /// <param name="cancellationToken">Cancels the reset.</param>
    /// <returns>
    /// What happens next: the device reboots (the process is about to end), the library should restart its engine in
    /// process (a new connection and BootNotification; the default), or the reset failed (retried ResetRetries times).
    /// </returns>
    ValueTask<ResetOutcome> ResetAsync(ResetType type, CancellationToken cancellationToken = default) => ValueTask.FromResult(ResetOutcome.RestartInProcess);
}

/// <summary>What <see cref="IChargePointHardware.ResetAsync"/> did.</summary>
public enum ResetOutcome
{
    /// <summary>The library restarts its engine in process: it closes the connection, reconnects and sends a new BootNotification.</summary>
    RestartInProcess,

    /// <summary>The device reboots; the process ends soon. The library closes the connection and does nothing more.</summary>
    Rebooting,

    /// <summary>The reset failed; it is tried again up to ResetRetries times.</summary>
    Failed,
}

/// <summary>What happened on a connector, reported by the hardware.</summary>
public enum ConnectorEventKind
{
    /// <summary>An EV was connected (cable plugged in at both ends).</summary>
    Plugged,

    /// <summary>The EV was disconnected.</summary>
    Unplugged,

    /// <summary>The EV does not take energy though it is offered (SuspendedEV, OCPP 1.6 §7.7).</summary>
    EvSuspended,

    /// <summary>The EV takes energy again.</summary>
    EvResumed,

    /// <summary>
    /// A fault that makes the connector unusable (status Faulted); <see cref="ConnectorEvent.ErrorCode"/>, and the
    /// vendor's codes, say which. A running transaction is stopped with reason Other.
    /// </summary>
    Faulted,

    /// <summary>The fault was cleared.</summary>
    FaultCleared,

    /// <summary>
    /// An error that does not make the connector unusable (e.g. HighTemperature while derating): reported in a
    /// StatusNotification with the current status; <see cref="ConnectorEventKind.FaultCleared"/> clears it too.
    /// </summary>
    Warning,
}

/// <summary>An event reported by a connector's hardware.</summary>
/// <param name="ConnectorId">The connector number (1..n).</param>
/// <param name="Kind">What happened.</param>
/// <param name="ErrorCode">For <see cref="ConnectorEventKind.Faulted"/> and <see cref="ConnectorEventKind.Warning"/>: the OCPP error code (OCPP 1.6 §7.6).</param>
/// <param name="Info">Free text for StatusNotification.info, at most 50 characters.</param>
/// <param name="VendorId">StatusNotification.vendorId, at most 255 characters.</param>
/// <param name="VendorErrorCode">StatusNotification.vendorErrorCode, at most 50 characters.</param>
public sealed record ConnectorEvent(
    int ConnectorId,
    ConnectorEventKind Kind,
    ChargePointErrorCode ErrorCode = ChargePointErrorCode.NoError,
    string? Info = null,
    string? VendorId = null,
    string? VendorErrorCode = null);

/// <summary>
/// One connector (an EVSE outlet: a socket, or a fixed cable) with its meter. The charge point asks it to permit or
/// stop energy, to lock and unlock, and reads its meter; it reports plug, EV and fault events.
/// </summary>
public interface IConnector
{
    /// <summary>The connector number, 1..n.</summary>
    int ConnectorId { get; }

    /// <summary>
    /// Whether the cable is fixed to the station (no lock to release): UnlockConnector then answers NotSupported
    /// (OCPP 1.6 §5.18). Default <see langword="false"/> (a socket).
    /// </summary>
    bool HasFixedCable => false;

    /// <summary>Whether an EV is connected now (read at start and after a restart).</summary>
    bool IsPluggedIn { get; }

    /// <summary>Raised (on any thread) when something happens; the charge point serializes handling.</summary>
    event EventHandler<ConnectorEvent>? StateChanged;

    /// <summary>The meter measuring this connector.</summary>
    IMeter Meter { get; }

    /// <summary>Permits or stops energy delivery (contactor, DC power module).</summary>
    /// <param name="permitted"><see langword="true"/> to deliver energy.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the hardware has switched.</returns>
    ValueTask SetEnergyPermittedAsync(bool permitted, CancellationToken cancellationToken = default);

    /// <summary>Locks the connector before energy flows (sockets). The default does nothing and succeeds.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when locked.</returns>
    ValueTask<bool> LockAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

    /// <summary>Releases the cable, for UnlockConnector (OCPP 1.6 §5.18) and UnlockConnectorOnEVSideDisconnect.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when unlocked; <see langword="false"/> when the lock failed to release (UnlockFailed).</returns>
    ValueTask<bool> UnlockAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// After a restart, tells whether the transaction that was running on this connector is still physically running
    /// (the controller restarted but the EV kept charging). <see langword="true"/> resumes it (its meter values go on);
    /// <see langword="false"/> (the default) stops it with reason PowerLoss (OCPP 1.6 §4.10).
    /// </summary>
    /// <param name="transaction">The interrupted transaction.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>Whether to resume it.</returns>
    ValueTask<bool> CanResumeTransactionAsync(InterruptedTransaction transaction, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}

/// <summary>A transaction found running in the journal when the charge point starts.</summary>
/// <param name="ConnectorId">Its connector.</param>
/// <param name="IdTag">The IdTag that started it.</param>
/// <param name="TransactionId">The Central System's TransactionId, or <see langword="null"/> when StartTransaction.conf has not arrived yet.</param>
/// <param name="StartTime">When it started.</param>
/// <param name="MeterStartWh">The energy register at its start, in Wh.</param>
/// <param name="LastMeterWh">The last persisted energy register reading, in Wh.</param>
/// <param name="LastMeterTime">When that reading was taken.</param>
public sealed record InterruptedTransaction(int ConnectorId, string IdTag, int? TransactionId, DateTimeOffset StartTime, long MeterStartWh, long LastMeterWh, DateTimeOffset LastMeterTime);

/// <summary>
/// One measured value of a meter: a measurand (OCPP 1.6 §7.31) with its unit and, where it applies, phase and location.
/// </summary>
/// <param name="Measurand">What is measured, e.g. <see cref="Measurand.PowerActiveImport"/>.</param>
/// <param name="Value">The value in <paramref name="Unit"/> (e.g. W, A, V, %, Wh, K, Celsius).</param>
/// <param name="Unit">The unit.</param>
/// <param name="Phase">The phase, or <see langword="null"/> for a total (DC or all phases).</param>
/// <param name="Location">Where it is measured; <see langword="null"/> means Outlet.</param>
public readonly record struct MeterSample(Measurand Measurand, decimal Value, UnitOfMeasure Unit, Phase? Phase = null, Location? Location = null);

/// <summary>
/// A meter reading: the energy register (always present; meterStart and meterStop come from it) and any other
/// measurands the meter provides. The charge point reports the measurands the configuration asks for
/// (MeterValuesSampledData, MeterValuesAlignedData, StopTxn*Data), every phase and location the meter gives of each.
/// </summary>
public sealed class MeterReading
{
    /// <summary>Creates a reading.</summary>
    /// <param name="energyActiveImportRegisterWh">Energy.Active.Import.Register in Wh (cumulative, never decreasing; any size, no overflow).</param>
    /// <param name="samples">The other measured values.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="energyActiveImportRegisterWh"/> is negative.</exception>
    public MeterReading(decimal energyActiveImportRegisterWh, params IReadOnlyList<MeterSample> samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(energyActiveImportRegisterWh);
        EnergyActiveImportRegisterWh = energyActiveImportRegisterWh;
        Samples = samples ?? [];
    }

    /// <summary>Energy.Active.Import.Register in Wh.</summary>
    public decimal EnergyActiveImportRegisterWh { get; }

    /// <summary>The other measured values (an Energy.Active.Import.Register sample here overrides the register for its phase and location).</summary>
    public IReadOnlyList<MeterSample> Samples { get; }
}

/// <summary>An energy meter.</summary>
public interface IMeter
{
    /// <summary>Reads the meter now.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reading.</returns>
    ValueTask<MeterReading> ReadAsync(CancellationToken cancellationToken = default);
}

/// <summary>Reads id tokens (RFID cards, a keypad, a payment terminal).</summary>
public interface IIdTokenReader
{
    /// <summary>Raised (on any thread) when a token is presented; the argument is its IdTag (1 to 20 characters, OCPP 1.6 §7.20).</summary>
    event EventHandler<string>? IdTokenPresented;
}

/// <summary>The effective charging limit of a connector (OCPP 1.6 §3.13 composite schedule), in A or in W.</summary>
/// <param name="LimitAmperes">The limit per phase in A (a multiple of 0.1), or <see langword="null"/> when given in W.</param>
/// <param name="LimitWatts">The limit in W (a multiple of 0.1), or <see langword="null"/> when given in A.</param>
/// <param name="NumberPhases">The number of phases to use, or <see langword="null"/> for the default (3 for AC).</param>
public sealed record ChargingLimit(decimal? LimitAmperes, decimal? LimitWatts, int? NumberPhases);

/// <summary>
/// Applies Smart Charging limits to the power electronics, and declares the electrical figures the charge point needs to
/// convert limits between A and W (W = A × <see cref="NominalVoltage"/> × phases) and to report composite schedules.
/// </summary>
public interface IChargingLimitSink
{
    /// <summary>The default of <see cref="NominalVoltage"/>: 230 V (AC, phase to neutral).</summary>
    const decimal DefaultNominalVoltage = 230m;

    /// <summary>The default of <see cref="NumberOfPhases"/>: 3.</summary>
    const int DefaultNumberOfPhases = 3;

    /// <summary>The default of <see cref="MaximumCurrent"/>: 32 A.</summary>
    const decimal DefaultMaximumCurrent = 32m;

    /// <summary>
    /// The nominal voltage in V: phase to neutral for AC, the output voltage for DC. Default
    /// <see cref="DefaultNominalVoltage"/>.
    /// </summary>
    decimal NominalVoltage => DefaultNominalVoltage;

    /// <summary>The phases the charge point can use: 1 to 3 for AC, 1 for DC. Default <see cref="DefaultNumberOfPhases"/>.</summary>
    int NumberOfPhases => DefaultNumberOfPhases;

    /// <summary>
    /// The most current per phase, in A, a connector offers without any limit: what GetCompositeSchedule reports for
    /// the times no charging profile limits. Default <see cref="DefaultMaximumCurrent"/>.
    /// </summary>
    decimal MaximumCurrent => DefaultMaximumCurrent;

    /// <summary>
    /// Applies the limit of a connector, pushed at every schedule period boundary and at every change (OCPP 1.6 §3.13):
    /// for a connector, the lower of the station's ChargePointMaxProfile and its TxProfile (or TxDefaultProfile); for
    /// connector 0, the station's total. A limit of 0 means no energy (the connector is then SuspendedEVSE).
    /// </summary>
    /// <param name="connectorId">The connector (1..n), or 0 for the whole charge point.</param>
    /// <param name="limit">The limit, or <see langword="null"/> for none (the hardware's maximum).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when applied.</returns>
    ValueTask ApplyAsync(int connectorId, ChargingLimit? limit, CancellationToken cancellationToken = default);
}

/// <summary>What <see cref="IFirmwareInstaller.InstallAsync"/> did.</summary>
public enum FirmwareInstallationResult
{
    /// <summary>Installed; the charge point reboots through <see cref="IChargePointHardware.ResetAsync"/> (Hard) to run it, and reports Installed after the reboot.</summary>
    Installed,

    /// <summary>The image did not pass the installer's own verification (a checksum, a header): InstallVerificationFailed (signed updates), InstallationFailed (UpdateFirmware).</summary>
    VerificationFailed,

    /// <summary>The installation failed: InstallationFailed.</summary>
    Failed,
}

/// <summary>
/// Installs firmware (Firmware Management, OCPP 1.6 §5.19; SignedUpdateFirmware of the Security Whitepaper). The charge
/// point downloads the image, verifies its signature (signed updates), waits until no transaction runs (the free
/// connectors Unavailable meanwhile), then calls <see cref="InstallAsync"/>; after <see cref="FirmwareInstallationResult.Installed"/>
/// it reboots through <see cref="IChargePointHardware.ResetAsync"/> with <see cref="ResetType.Hard"/>.
/// </summary>
public interface IFirmwareInstaller
{
    /// <summary>Installs a downloaded (and, for signed firmware, verified) image. Called on the charge point's loop's behalf but awaited off it: it may take minutes.</summary>
    /// <param name="firmwareFile">The path of the downloaded file (in the charge point's files folder; deleted after the installation).</param>
    /// <param name="cancellationToken">Cancelled when the charge point stops.</param>
    /// <returns>Whether the image was installed.</returns>
    ValueTask<FirmwareInstallationResult> InstallAsync(string firmwareFile, CancellationToken cancellationToken = default);
}

/// <summary>
/// Collects diagnostics into a file for upload (GetDiagnostics, OCPP 1.6 §5.9; GetLog DiagnosticsLog of the Security
/// Whitepaper). The security log (GetLog SecurityLog) is the charge point's own: every security event is written to it.
/// </summary>
public interface IDiagnosticsProvider
{
    /// <summary>Writes the diagnostics between <paramref name="from"/> and <paramref name="to"/> into a file. Called on the loop: it should take milliseconds (collect in the background and return the latest file otherwise).</summary>
    /// <param name="from">The oldest entry wanted, or <see langword="null"/> for no bound.</param>
    /// <param name="to">The newest entry wanted, or <see langword="null"/> for no bound.</param>
    /// <param name="cancellationToken">Cancels the collection.</param>
    /// <returns>
    /// The path of the file (its name is the fileName of GetDiagnostics.conf / GetLog.conf, at most 255 characters; the
    /// file stays the provider's), or <see langword="null"/> when there is nothing to upload.
    /// </returns>
    ValueTask<string?> CollectAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default);
}

/// <summary>
/// Keeps the charge point's own key pair and ChargePointCertificate in hardware (a TPM or secure element), so the
/// private key never leaves it. Without one (<see cref="IChargePointHardware.CertificateStore"/> <see langword="null"/>)
/// the charge point generates the key pair itself (ECDSA P-256) and keeps it in its storage
/// (<see cref="ChargePointOptions.DataDirectory"/>). The root certificates are kept by the charge point either way.
/// </summary>
public interface ICertificateStore
{
    /// <summary>The ChargePointCertificate (with its private key) presented for security profile 3, or <see langword="null"/> when none is installed.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ChargePointCertificate.</returns>
    ValueTask<System.Security.Cryptography.X509Certificates.X509Certificate2?> GetChargePointCertificateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Generates a new key pair (kept in the hardware, replacing one still waiting for its certificate) and returns a
    /// PKCS#10 certificate signing request for it (ExtendedTriggerMessage SignChargePointCertificate, Security Whitepaper A02).
    /// </summary>
    /// <param name="subject">The subject: CN = the charge point identity, O = CpoName.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The CSR, PEM encoded (<c>-----BEGIN CERTIFICATE REQUEST-----</c>), at most 5500 characters.</returns>
    ValueTask<string> CreateCertificateSigningRequestAsync(System.Security.Cryptography.X509Certificates.X500DistinguishedName subject, CancellationToken cancellationToken = default);

    /// <summary>
    /// Installs the certificate the Central System signed (CertificateSigned.req), already checked by the charge point
    /// (chain to an installed CentralSystemRootCertificate, size limits, validity): it replaces the ChargePointCertificate
    /// at the next connection.
    /// </summary>
    /// <param name="certificate">The new ChargePointCertificate (public part).</param>
    /// <param name="chain">The sub-CA certificates that came with it (may be empty).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="false"/> when it does not belong to the key pair waiting for a certificate (then Rejected).</returns>
    ValueTask<bool> InstallChargePointCertificateAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, System.Security.Cryptography.X509Certificates.X509Certificate2Collection chain, CancellationToken cancellationToken = default);
}
