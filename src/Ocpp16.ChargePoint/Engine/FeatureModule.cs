using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Engine;

/// <summary>
/// One feature profile of the charge point as a module of the engine: it owns its state and its storage collections,
/// declares its configuration keys, registers the handlers of its CS→CP actions and meets the other modules only through
/// the engine's small interfaces (authorization sources, status contributors, transaction observers, triggerable
/// messages). <c>SupportedFeatureProfiles</c> lists the profiles of the registered modules.
/// </summary>
internal abstract class FeatureModule
{
    protected FeatureModule(ChargePointEngine engine) => Engine = engine;

    protected ChargePointEngine Engine { get; }

    /// <summary>The profile this module implements.</summary>
    public abstract OcppFeatureProfile Profile { get; }

    /// <summary>The configuration keys of the profile.</summary>
    public virtual IEnumerable<ConfigurationKeyDefinition> ConfigurationKeys => [];

    /// <summary>Registers the handlers of the profile's CS→CP actions (called once, before the engine starts).</summary>
    public virtual void RegisterActions(ActionRouter router)
    {
    }

    /// <summary>Loads the module's state from storage and starts its work (on the loop, before the first connection).</summary>
    public virtual ValueTask StartAsync() => ValueTask.CompletedTask;

    /// <summary>A BootNotification was accepted (the first of this engine's life when <paramref name="afterBoot"/>).</summary>
    public virtual void OnRegistrationAccepted(bool afterBoot)
    {
    }

    /// <summary>
    /// ChangeConfiguration changed <paramref name="key"/> (its new value is saved and set); work that must follow the
    /// answer on the wire (a reconnection with new credentials) goes through <see cref="IncomingCall.AfterResponse"/>.
    /// </summary>
    public virtual void OnConfigurationChanged(string key, IncomingCall call)
    {
    }
}

/// <summary>
/// Where the security events of the Security Whitepaper (ed. 3, "Security events") are reported: the Security module
/// when it is registered (security log, SecurityEventNotification), else nowhere.
/// </summary>
internal interface ISecurityEventSink
{
    /// <summary>Records an event (on the loop).</summary>
    /// <param name="type">The event type, e.g. <c>InvalidFirmwareSignature</c> (at most 50 characters).</param>
    /// <param name="techInfo">Additional information (at most 255 characters; longer text is cut), or <see langword="null"/>.</param>
    /// <param name="critical">Whether it is critical (sent with guaranteed delivery); <see langword="null"/> for the whitepaper's table (unknown types: not critical).</param>
    void Report(string type, string? techInfo = null, bool? critical = null);
}

/// <summary>The sink without a Security module: events are dropped.</summary>
internal sealed class NoSecurityEvents : ISecurityEventSink
{
    public static readonly NoSecurityEvents Instance = new();

    public void Report(string type, string? techInfo = null, bool? critical = null)
    {
    }
}

/// <summary>
/// A transaction about to start (before it is journaled): the modules that take part add their state changes to
/// <see cref="Batch"/>, which the journal writes together with the start, in one atomic write (a crash leaves both or
/// neither: a consumed reservation, the TxProfile of RemoteStartTransaction).
/// </summary>
internal sealed class TransactionStarting(int connectorId, string idTag, string? parentIdTag, int localTransactionId, Messages.ChargingProfile? chargingProfile)
{
    public int ConnectorId { get; } = connectorId;

    public string IdTag { get; } = idTag;

    /// <summary>The parentIdTag from the authorization, when known.</summary>
    public string? ParentIdTag { get; } = parentIdTag;

    /// <summary>The local id the journal gives the transaction.</summary>
    public int LocalTransactionId { get; } = localTransactionId;

    /// <summary>The TxProfile of the RemoteStartTransaction that starts it (OCPP 1.6 §5.11), if any.</summary>
    public Messages.ChargingProfile? ChargingProfile { get; } = chargingProfile;

    /// <summary>The reservation the transaction uses (StartTransaction.reservationId), set by Reservation.</summary>
    public int? ReservationId { get; set; }

    /// <summary>State changes written atomically with the journaled start.</summary>
    public Persistence.ChargePointStorageBatch Batch { get; } = new();
}

/// <summary>Sees transactions start and stop (Reservation consumes its reservation, Smart Charging installs and drops TxProfiles).</summary>
internal interface ITransactionObserver
{
    /// <summary>A transaction is about to start: add state changes to <see cref="TransactionStarting.Batch"/> (nothing in memory yet).</summary>
    void OnStarting(TransactionStarting start)
    {
    }

    /// <summary>The start was journaled (with the batch of <see cref="OnStarting"/>): apply the changes in memory.</summary>
    void OnStarted(Features.Core.JournalTransaction transaction, TransactionStarting start)
    {
    }

    /// <summary>A transaction stopped (journaled).</summary>
    void OnStopped(Features.Core.JournalTransaction transaction)
    {
    }
}

/// <summary>
/// Decides whether an IdTag may start a transaction on a connector (Reservation, OCPP 1.6 §5.13: a reserved connector
/// is refused to every IdTag but the reserved one and those of the same parentIdTag). Transactions consults it before
/// authorizing a presented IdTag, when choosing a connector, for RemoteStartTransaction and at the start itself.
/// </summary>
internal interface ITransactionAdmission
{
    /// <summary>
    /// Whether <paramref name="idTag"/> may start on connector <paramref name="connectorId"/> now.
    /// </summary>
    /// <param name="connectorId">1..n.</param>
    /// <param name="idTag">The IdTag.</param>
    /// <param name="parentIdTag">Its parentIdTag, when known.</param>
    /// <param name="authorized">
    /// <see langword="false"/> before the IdTag was authorized (its parentIdTag may still be unknown): answer
    /// <see langword="true"/> when authorizing could still make it admissible.
    /// </param>
    bool MayStart(int connectorId, string idTag, string? parentIdTag, bool authorized);
}

/// <summary>Smart Charging's part in RemoteStartTransaction (OCPP 1.6 §5.11): whether the TxProfile it carries can be installed.</summary>
internal interface IRemoteStartChargingProfiles
{
    /// <summary>Whether <paramref name="profile"/> is acceptable as the TxProfile of a transaction on <paramref name="connectorId"/>.</summary>
    bool CanInstall(int connectorId, Messages.ChargingProfile profile);
}

/// <summary>A message the Central System may trigger (TriggerMessage, OCPP 1.6 §5.17; ExtendedTriggerMessage).</summary>
internal interface ITriggerableMessage
{
    /// <summary>Which message.</summary>
    MessageTrigger Trigger { get; }

    /// <summary>Queues the message (for one connector, or all when <see langword="null"/>); it may go out before the boot was accepted.</summary>
    void Send(int? connectorId);
}

/// <summary>
/// A source of charging limits (Smart Charging's composite schedule, a local load manager): the engine asks it for
/// the limit of a connector at an instant and pushes the result to the hardware's <see cref="Hardware.IChargingLimitSink"/>
/// at every change and period boundary.
/// </summary>
internal interface IChargingLimitSource
{
    /// <summary>The limit of connector <paramref name="connectorId"/> (0 = the whole station) at <paramref name="at"/>, or <see langword="null"/> for none.</summary>
    Hardware.ChargingLimit? GetLimit(int connectorId, DateTimeOffset at);

    /// <summary>When the limit of some connector changes next (a period boundary), or <see langword="null"/> for never.</summary>
    DateTimeOffset? NextChange(DateTimeOffset after);

    /// <summary>Raised (on the loop) when the limits changed (a profile set or cleared).</summary>
    event Action? Changed;
}
