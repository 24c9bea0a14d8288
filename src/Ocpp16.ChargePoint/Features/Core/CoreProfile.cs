using Ocpp16.ChargePoint.Engine;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.Core;

/// <summary>
/// The Core profile (OCPP 1.6 §4, §5): authorization with its cache, transactions and their journal, metering,
/// availability, reset, configuration, data transfer and unlocking. Its parts live in this folder; this class wires
/// them to the engine and registers the nine Core CS→CP actions.
/// </summary>
internal sealed class CoreProfile : FeatureModule
{
    public CoreProfile(ChargePointEngine engine)
        : base(engine)
    {
        Cache = new AuthorizationCache(engine);
        Metering = new Metering(engine);
        Transactions = new Transactions(engine, Metering);
        Availability = new Availability(engine);
        Reset = new ResetHandler(engine);
        engine.Authorizer.AddSource(Cache);
        engine.AddTrigger(new BootNotificationTrigger(engine));
        engine.AddTrigger(new HeartbeatTrigger(engine));
        engine.AddTrigger(new StatusNotificationTrigger(engine));
        engine.AddTrigger(new MeterValuesTrigger(engine, Metering));
    }

    public override OcppFeatureProfile Profile => OcppFeatureProfile.Core;

    public AuthorizationCache Cache { get; }

    public Metering Metering { get; }

    public Transactions Transactions { get; }

    public Availability Availability { get; }

    public ResetHandler Reset { get; }

    public override void RegisterActions(ActionRouter router)
    {
        router.Register<RemoteStartTransactionRequest, RemoteStartTransactionResponse>(Transactions.OnRemoteStartAsync);
        router.Register<RemoteStopTransactionRequest, RemoteStopTransactionResponse>(Transactions.OnRemoteStopAsync);
        router.Register<UnlockConnectorRequest, UnlockConnectorResponse>(Transactions.OnUnlockConnectorAsync);
        router.Register<ChangeAvailabilityRequest, ChangeAvailabilityResponse>(Availability.OnChangeAvailabilityAsync);
        router.Register<ResetRequest, ResetResponse>(Reset.OnResetAsync);
        router.Register<GetConfigurationRequest, GetConfigurationResponse>(OnGetConfigurationAsync);
        router.Register<ChangeConfigurationRequest, ChangeConfigurationResponse>(OnChangeConfigurationAsync);
        router.Register<ClearCacheRequest, ClearCacheResponse>((_, _) => ValueTask.FromResult(new ClearCacheResponse { Status = Cache.Clear() }));
        router.Register<DataTransferRequest, DataTransferResponse>(OnDataTransferAsync);
    }

    public override async ValueTask StartAsync()
    {
        Metering.FollowConfiguration();
        Cache.Load();
        Availability.Load();
        await Transactions.RecoverAsync().ConfigureAwait(false);
        Metering.StartClockAligned();
    }

    // ------------------------------------------------------------------ GetConfiguration / ChangeConfiguration (§5.8, §5.3)

    /// <summary>
    /// GetConfiguration (OCPP 1.6 §5.8): all readable keys, or the ones asked for (unknown and write-only ones in
    /// unknownKey). Asking for more than GetConfigurationMaxKeys keys is answered with the CALLERROR
    /// PropertyConstraintViolation.
    /// </summary>
    private ValueTask<GetConfigurationResponse> OnGetConfigurationAsync(GetConfigurationRequest request, IncomingCall call)
    {
        var configuration = Engine.Configuration;
        var known = new List<KeyValue>();
        var unknown = new List<string>();
        if (request.Key is { Count: > 0 } keys)
        {
            var max = configuration.GetInt32(CoreKeys.GetConfigurationMaxKeys);
            if (max > 0 && keys.Count > max)
            {
                throw new Transport.OcppCallErrorException(OcppErrorCode.PropertyConstraintViolation, $"At most {max} keys (GetConfigurationMaxKeys) may be asked for.");
            }

            foreach (var key in keys.Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (configuration.TryGetValue(key, out var value) && configuration.TryGetDefinition(key, out var definition))
                {
                    known.Add(new KeyValue { Key = definition.Name, Readonly = definition.Access == ConfigurationKeyAccess.ReadOnly, Value = value });
                }
                else
                {
                    unknown.Add(key);
                }
            }
        }
        else
        {
            foreach (var definition in configuration.Definitions)
            {
                if (definition.Access != ConfigurationKeyAccess.WriteOnly && configuration.TryGetValue(definition.Name, out var value))
                {
                    known.Add(new KeyValue { Key = definition.Name, Readonly = definition.Access == ConfigurationKeyAccess.ReadOnly, Value = value });
                }
            }
        }

        return ValueTask.FromResult(new GetConfigurationResponse
        {
            ConfigurationKey = known.Count > 0 ? known : null,
            UnknownKey = unknown.Count > 0 ? unknown : null,
        });
    }

    /// <summary>
    /// ChangeConfiguration (OCPP 1.6 §5.3): NotSupported for an unknown key, Rejected for a read-only key or an invalid
    /// value, RebootRequired for a key that takes effect at the next start, else Accepted. An accepted value is saved
    /// before the answer is sent (a failed save is the CALLERROR InternalError and changes nothing).
    /// </summary>
    private ValueTask<ChangeConfigurationResponse> OnChangeConfigurationAsync(ChangeConfigurationRequest request, IncomingCall call)
    {
        var configuration = Engine.Configuration;
        var status = configuration.Check(request.Key, request.Value, out var definition);
        if (status is ConfigurationStatus.Accepted or ConfigurationStatus.RebootRequired)
        {
            Engine.Storage.Write(new Persistence.ChargePointStorageBatch().Put(
                ChargePointEngine.ConfigurationCollection,
                definition!.Name,
                System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request.Value, Persistence.StorageJsonContext.Default.String)));
            if (status == ConfigurationStatus.Accepted)
            {
                configuration.Set(definition.Name, request.Value);
                foreach (var module in Engine.Modules)
                {
                    module.OnConfigurationChanged(definition.Name, call);
                }
            }
        }

        return ValueTask.FromResult(new ChangeConfigurationResponse { Status = status });
    }

    // ------------------------------------------------------------------ DataTransfer (§5.6)

    private async ValueTask<DataTransferResponse> OnDataTransferAsync(DataTransferRequest request, IncomingCall call)
    {
        if (Engine.Host.FindDataTransferHandler(request.VendorId) is not { } handler)
        {
            return new DataTransferResponse { Status = DataTransferStatus.UnknownVendorId };
        }

        return await handler(request, CancellationToken.None).ConfigureAwait(false);
    }
}
