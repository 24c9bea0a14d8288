using Ocpp16.ChargePoint.Engine;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Features.FirmwareManagement;

/// <summary>
/// The Firmware Management profile (OCPP 1.6 §5.9 GetDiagnostics, §5.19 UpdateFirmware, §4.4/§4.5 the status
/// notifications and their TriggerMessage): downloads and installs firmware through <see cref="FirmwareUpdater"/>,
/// collects diagnostics through the hardware's <see cref="Hardware.IDiagnosticsProvider"/> and uploads them through
/// <see cref="FileUploads"/>; the transfers use HTTP, HTTPS or FTP (SupportedFileTransferProtocols).
/// </summary>
internal sealed class FirmwareManagementProfile : FeatureModule
{
    public const string SupportedFileTransferProtocols = nameof(SupportedFileTransferProtocols);

    public FirmwareManagementProfile(ChargePointEngine engine)
        : base(engine)
    {
        Transfer = SharedTransfer(engine);
        Firmware = SharedUpdater(engine);
        Uploads = SharedUploads(engine);
        engine.AddTrigger(new FirmwareStatusTrigger(engine, Firmware));
        engine.AddTrigger(new DiagnosticsStatusTrigger(engine, Uploads));
    }

    public override OcppFeatureProfile Profile => OcppFeatureProfile.FirmwareManagement;

    public IFileTransfer Transfer { get; }

    public FirmwareUpdater Firmware { get; }

    public FileUploads Uploads { get; }

    /// <summary>The engine's file transfer client (shared with the Security module's SignedUpdateFirmware and GetLog).</summary>
    public static IFileTransfer SharedTransfer(ChargePointEngine engine)
        => engine.GetShared<IFileTransfer>(() => engine.Options.FileTransfer ?? new FileTransferClient(engine.Options));

    /// <summary>The engine's firmware updater (shared with SignedUpdateFirmware).</summary>
    public static FirmwareUpdater SharedUpdater(ChargePointEngine engine)
        => engine.GetShared(() => new FirmwareUpdater(engine, SharedTransfer(engine)));

    /// <summary>The engine's uploads (shared with GetLog).</summary>
    public static FileUploads SharedUploads(ChargePointEngine engine)
        => engine.GetShared(() => new FileUploads(engine, SharedTransfer(engine)));

    public override IEnumerable<ConfigurationKeyDefinition> ConfigurationKeys =>
    [
        new ConfigurationKeyDefinition
        {
            Name = SupportedFileTransferProtocols,
            Type = ConfigurationKeyType.StringList,
            Access = ConfigurationKeyAccess.ReadOnly,
            DefaultValue = string.Join(",", Transfer.Protocols),
            Profile = OcppFeatureProfile.FirmwareManagement,
            Description = "The protocols firmware is downloaded and diagnostics and logs are uploaded with (HTTP and HTTPS through HttpClient, FTP passive).",
        },
    ];

    public override void RegisterActions(ActionRouter router)
    {
        router.Register<UpdateFirmwareRequest, UpdateFirmwareResponse>(OnUpdateFirmwareAsync);
        router.Register<GetDiagnosticsRequest, GetDiagnosticsResponse>(OnGetDiagnosticsAsync);
    }

    public override ValueTask StartAsync()
    {
        Firmware.Load();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// UpdateFirmware (OCPP 1.6 §5.19): answered at once (the conf is empty); the download starts at retrieveDate, tried
    /// 1 + retries times (default retries 2) retryInterval seconds apart (default 60). A request while an installation
    /// runs is ignored; one while a download waits or runs replaces it.
    /// </summary>
    private ValueTask<UpdateFirmwareResponse> OnUpdateFirmwareAsync(UpdateFirmwareRequest request, IncomingCall call)
    {
        var status = Firmware.Take(new FirmwareUpdateRecord
        {
            Signed = false,
            Location = request.Location,
            RetrieveDate = request.RetrieveDate,
            Attempts = 1 + Math.Max(0, request.Retries ?? FileUploads.DefaultRetries),
            RetryInterval = Math.Max(0, request.RetryInterval ?? FileUploads.DefaultRetryInterval),
            Phase = FirmwarePhase.Scheduled,
        });
        if (status != UpdateFirmwareStatus.Rejected)
        {
            call.AfterResponse(Firmware.Begin);
        }

        return ValueTask.FromResult(new UpdateFirmwareResponse());
    }

    /// <summary>
    /// GetDiagnostics (OCPP 1.6 §5.9): the hardware collects the diagnostics between startTime and stopTime into a file
    /// whose name is the answer; after the answer it is uploaded to the location (1 + retries attempts). Without a
    /// diagnostics provider, or with nothing collected, the answer has no file name and nothing is uploaded.
    /// </summary>
    private async ValueTask<GetDiagnosticsResponse> OnGetDiagnosticsAsync(GetDiagnosticsRequest request, IncomingCall call)
    {
        if (await CollectDiagnosticsAsync(Engine, request.StartTime, request.StopTime).ConfigureAwait(false) is not { } file)
        {
            return new GetDiagnosticsResponse();
        }

        var fileName = FileName(file);
        call.AfterResponse(() => Uploads.Start(UploadKind.Diagnostics, null, request.Location, file, fileName, request.Retries, request.RetryInterval, deleteAfter: false));
        return new GetDiagnosticsResponse { FileName = fileName };
    }

    /// <summary>Asks the hardware for the diagnostics; <see langword="null"/> when it has none (or no provider, or it failed).</summary>
    public static async ValueTask<string?> CollectDiagnosticsAsync(ChargePointEngine engine, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (engine.Hardware.DiagnosticsProvider is not { } provider)
        {
            return null;
        }

        try
        {
            return await provider.CollectAsync(from, to).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ChargePointLog.HardwareFailed(engine.Logger, engine.Identity, 0, "collect diagnostics", e);
            return null;
        }
    }

    /// <summary>The file name reported for <paramref name="path"/> (at most 255 characters).</summary>
    public static string FileName(string path)
    {
        var name = Path.GetFileName(path);
        return name.Length <= 255 ? name : name[^255..];
    }
}

/// <summary>TriggerMessage FirmwareStatusNotification (OCPP 1.6 §4.5): the status of the update under way, else Idle.</summary>
internal sealed class FirmwareStatusTrigger(ChargePointEngine engine, FirmwareUpdater firmware) : ITriggerableMessage
{
    public MessageTrigger Trigger => MessageTrigger.FirmwareStatusNotification;

    public void Send(int? connectorId)
    {
        var status = FirmwareUpdater.ToFirmwareStatus(firmware.Triggered(signed: false).Status) ?? FirmwareStatus.Idle;
        engine.Outbox.Enqueue(new OutboxCall<FirmwareStatusNotificationResponse>(new FirmwareStatusNotificationRequest { Status = status }) { AllowedBeforeAccepted = true });
    }
}

/// <summary>TriggerMessage DiagnosticsStatusNotification (OCPP 1.6 §4.4): Uploading while an upload runs, else Idle.</summary>
internal sealed class DiagnosticsStatusTrigger(ChargePointEngine engine, FileUploads uploads) : ITriggerableMessage
{
    public MessageTrigger Trigger => MessageTrigger.DiagnosticsStatusNotification;

    public void Send(int? connectorId)
    {
        var status = uploads.Triggered(UploadKind.Diagnostics).Uploading ? DiagnosticsStatus.Uploading : DiagnosticsStatus.Idle;
        engine.Outbox.Enqueue(new OutboxCall<DiagnosticsStatusNotificationResponse>(new DiagnosticsStatusNotificationRequest { Status = status }) { AllowedBeforeAccepted = true });
    }
}
