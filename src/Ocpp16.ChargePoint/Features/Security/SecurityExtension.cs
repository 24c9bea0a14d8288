using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Ocpp16.ChargePoint.Engine;
using Ocpp16.ChargePoint.Features.FirmwareManagement;
using Ocpp16.ChargePoint.Persistence;
using Ocpp16.Messages;
using Ocpp16.Transport;
using ChargePointSecurity = Ocpp16.ChargePoint.Security.ChargePointSecurity;
using ConnectionAttempt = Ocpp16.ChargePoint.Security.ConnectionAttempt;
using ConnectionSettings = Ocpp16.ChargePoint.Security.ConnectionSettings;

namespace Ocpp16.ChargePoint.Features.Security;

/// <summary>
/// The Security extension (OCPP 1.6 Security Whitepaper ed. 3, "Improved security for OCPP 1.6-J") as a module of the
/// engine: its configuration keys with their access rules; the connection's security profile, AuthorizationKey and
/// certificates (raise-only SecurityProfile that falls back to the previous profile when the new one cannot connect);
/// the certificate store (InstallCertificate, DeleteCertificate, GetInstalledCertificateIds); the charge point's key
/// pair and certificate (ExtendedTriggerMessage SignChargePointCertificate → SignCertificate, CertificateSigned);
/// SignedUpdateFirmware; GetLog; the security events with the security log; ExtendedTriggerMessage.
/// </summary>
internal sealed class SecurityExtension : FeatureModule
{
    public const string SecurityProfileKey = "SecurityProfile";
    public const string AuthorizationKey = "AuthorizationKey";
    public const string CpoName = "CpoName";
    public const string CertificateStoreMaxLength = "CertificateStoreMaxLength";
    public const string AdditionalRootCertificateCheck = "AdditionalRootCertificateCheck";
    public const string CertificateSignedMaxChainSize = "CertificateSignedMaxChainSize";
    public const string CertificateSignedMaxSize = "CertificateSignedMaxSize";

    /// <summary>The storage collection of the module's own state (the profile being tried, the reset marker).</summary>
    public const string StateCollection = "security";

    /// <summary>How many failed connection attempts with a new security profile make the charge point go back to the previous one.</summary>
    public const int FallbackAttempts = 3;

    private const string PreviousProfileKey = "profile.previous";
    private const string ResetKey = "reset";

    private readonly CertificateManager _certificates;
    private readonly SecurityEventLog _log;
    private readonly FirmwareUpdater _firmware;
    private readonly FileUploads _uploads;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _started;
    private int? _previousProfile;
    private string? _resetMarker;
    private int _failures;
    private int _effectiveProfile;
    private bool _hardwareHasCertificate;

    public SecurityExtension(ChargePointEngine engine)
        : base(engine)
    {
        _certificates = new CertificateManager(engine.Storage);
        _certificates.Load(engine.Options);
        _log = new SecurityEventLog(engine);
        _log.Load();
        engine.SecurityEvents = _log;
        _firmware = FirmwareManagementProfile.SharedUpdater(engine);
        _uploads = FirmwareManagementProfile.SharedUploads(engine);
        foreach (var (key, value) in engine.Storage.Load(StateCollection))
        {
            if (key == PreviousProfileKey)
            {
                _previousProfile = JsonSerializer.Deserialize(value, StorageJsonContext.Default.String) is { } text && int.TryParse(text, CultureInfo.InvariantCulture, out var p) ? p : null;
            }
            else if (key == ResetKey)
            {
                _resetMarker = JsonSerializer.Deserialize(value, StorageJsonContext.Default.String);
            }
        }

        engine.ConnectionSettings = GetConnectionSettingsAsync;
        engine.ConnectionAttempted += OnConnectionAttempted;
        engine.ClockAdjusted += moved => _log.Report("SettingSystemTime", string.Create(CultureInfo.InvariantCulture, $"Clock set from the Central System's time, moved by {moved.TotalSeconds:F1} s"));
        engine.Core.Reset.Resetting += type => SaveState(ResetKey, type.ToString());
    }

    public override OcppFeatureProfile Profile => OcppFeatureProfile.Security;

    /// <summary>The certificate store (tests).</summary>
    internal CertificateManager Certificates => _certificates;

    /// <summary>The security log (tests).</summary>
    internal SecurityEventLog Log => _log;

    public override IEnumerable<ConfigurationKeyDefinition> ConfigurationKeys =>
    [
        new ConfigurationKeyDefinition
        {
            Name = SecurityProfileKey, Type = ConfigurationKeyType.Integer, DefaultValue = Engine.Options.SecurityProfile.ToString(CultureInfo.InvariantCulture),
            Profile = OcppFeatureProfile.Security, Minimum = 0, Maximum = 3, Validate = CanChangeSecurityProfile,
            Description = "The security profile of the connection (0 none, 1 Basic auth, 2 TLS + Basic auth, 3 TLS with a client certificate). Raise only; a new profile that cannot connect in 3 attempts falls back to the previous one.",
        },
        new ConfigurationKeyDefinition
        {
            Name = AuthorizationKey, Type = ConfigurationKeyType.String, Access = ConfigurationKeyAccess.WriteOnly, DefaultValue = Engine.Options.Password ?? string.Empty,
            Profile = OcppFeatureProfile.Security, Validate = value => !_started || value.Length is >= 16 and <= 40,
            Description = "The HTTP Basic password of security profiles 1 and 2 (16 to 40 characters); never readable. A change reconnects with the new key. Default ChargePointOptions.Password.",
        },
        new ConfigurationKeyDefinition
        {
            Name = CpoName, Type = ConfigurationKeyType.String, DefaultValue = string.Empty, Profile = OcppFeatureProfile.Security, Validate = value => value.Length <= 64,
            Description = "The CPO name: O of the certificate signing request (SignChargePointCertificate); empty: no request can be made.",
        },
        new ConfigurationKeyDefinition
        {
            Name = CertificateStoreMaxLength, Type = ConfigurationKeyType.Integer, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = "20", Minimum = 1,
            Profile = OcppFeatureProfile.Security, Description = "The most root certificates (CentralSystemRootCertificate and ManufacturerRootCertificate) the charge point keeps.",
        },
        new ConfigurationKeyDefinition
        {
            Name = AdditionalRootCertificateCheck, Type = ConfigurationKeyType.Boolean, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = "false",
            Profile = OcppFeatureProfile.Security,
            Description = "When true, one CentralSystemRootCertificate at a time: a new one must be signed by the installed one and replaces it (the old one kept as fallback until a connection with the new one succeeds).",
        },
        new ConfigurationKeyDefinition
        {
            Name = CertificateSignedMaxChainSize, Type = ConfigurationKeyType.Integer, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = "10000", Minimum = 1, Maximum = 10_000,
            Profile = OcppFeatureProfile.Security, Description = "The most characters CertificateSigned.certificateChain may have (at most 10000).",
        },
        new ConfigurationKeyDefinition
        {
            Name = CertificateSignedMaxSize, Type = ConfigurationKeyType.Integer, Access = ConfigurationKeyAccess.ReadOnly, DefaultValue = "5500", Minimum = 1, Maximum = 10_000,
            Profile = OcppFeatureProfile.Security, Description = "The most characters one PEM certificate of CertificateSigned.certificateChain may have.",
        },
    ];

    public override void RegisterActions(ActionRouter router)
    {
        router.Register<CertificateSignedRequest, CertificateSignedResponse>(OnCertificateSignedAsync);
        router.Register<DeleteCertificateRequest, DeleteCertificateResponse>(OnDeleteCertificateAsync);
        router.Register<ExtendedTriggerMessageRequest, ExtendedTriggerMessageResponse>(OnExtendedTriggerMessageAsync);
        router.Register<GetInstalledCertificateIdsRequest, GetInstalledCertificateIdsResponse>(OnGetInstalledCertificateIdsAsync);
        router.Register<GetLogRequest, GetLogResponse>(OnGetLogAsync);
        router.Register<InstallCertificateRequest, InstallCertificateResponse>(OnInstallCertificateAsync);
        router.Register<SignedUpdateFirmwareRequest, SignedUpdateFirmwareResponse>(OnSignedUpdateFirmwareAsync);
    }

    public override async ValueTask StartAsync()
    {
        _firmware.Load();
        if (Engine.Hardware.CertificateStore is { } store)
        {
            _hardwareHasCertificate = await HardwareCertificateAsync(store).ConfigureAwait(false) is not null;
        }

        _effectiveProfile = Engine.Configuration.GetInt32(SecurityProfileKey);
        if (_resetMarker is { } reset)
        {
            _resetMarker = null;
            DeleteState(ResetKey);
            _log.Report("ResetOrReboot", "Reset " + reset);
        }
        else
        {
            _log.Report("StartupOfTheDevice");
        }

        _started = true;
        _ready.TrySetResult();
    }

    // ------------------------------------------------------------------ the connection (§2 Security Profiles)

    /// <summary>The settings of the next connection attempt: the SecurityProfile key, its URL, the AuthorizationKey and the installed certificates.</summary>
    private async ValueTask<ConnectionSettings> GetConnectionSettingsAsync(CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var configuration = Engine.Configuration;
        var profile = configuration.GetInt32(SecurityProfileKey);
        var key = configuration.GetRaw(AuthorizationKey);
        var snapshot = _certificates.Snapshot;
        var client = Engine.Hardware.CertificateStore is { } store
            ? await HardwareCertificateAsync(store).ConfigureAwait(false)
            : snapshot.ChargePointCertificate;
        return new ConnectionSettings(profile, Engine.Options.UriFor(profile), key.Length > 0 ? key : null, snapshot.CentralSystemRoots, client ?? Engine.Options.ClientCertificate);
    }

    private async ValueTask<X509Certificate2?> HardwareCertificateAsync(Hardware.ICertificateStore store)
    {
        try
        {
            return await store.GetChargePointCertificateAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ChargePointLog.HardwareFailed(Engine.Logger, Engine.Identity, 0, "read the ChargePointCertificate", e);
            return null;
        }
    }

    /// <summary>Security events of the attempt; the fallback of a new profile that cannot connect; dropping a fallback root.</summary>
    private void OnConnectionAttempted(ConnectionAttempt attempt)
    {
        var profile = attempt.Settings.SecurityProfile;
        if (attempt.Error is { } error)
        {
            if (attempt.ServerCertificateRejected)
            {
                _log.Report("InvalidCentralSystemCertificate", "The Central System's TLS certificate does not chain to an installed CentralSystemRootCertificate or does not match the host name");
            }
            else if (attempt.AuthenticationRefused)
            {
                _log.Report("FailedToAuthenticateAtCentralSystem", $"HTTP 401 with security profile {profile}");
            }
            else if (attempt.TlsVersionRefused)
            {
                _log.Report("InvalidTLSVersion", error.Message);
            }
            else if (attempt.TlsCipherSuiteRefused)
            {
                _log.Report("InvalidTLSCipherSuite", error.Message);
            }
        }
        else if (profile >= 2)
        {
            try
            {
                _certificates.DropFallbackRoots();
            }
            catch (ChargePointStorageException e)
            {
                ChargePointLog.StateWriteFailed(Engine.Logger, Engine.Identity, "certificates", e);
            }
        }

        if (_previousProfile is not { } previous || profile != Engine.Configuration.GetInt32(SecurityProfileKey))
        {
            return;
        }

        if (attempt.Error is null)
        {
            // The new profile works: it stays.
            _previousProfile = null;
            _failures = 0;
            DeleteState(PreviousProfileKey);
            ChargePointLog.SecurityProfileChanged(Engine.Logger, Engine.Identity, profile, previous);
            return;
        }

        if (++_failures < FallbackAttempts)
        {
            return;
        }

        // Back to the profile that worked (the raise is undone; lowering through OCPP stays impossible).
        ChargePointLog.SecurityProfileFallback(Engine.Logger, Engine.Identity, profile, _failures, previous);
        var value = previous.ToString(CultureInfo.InvariantCulture);
        Engine.TryWrite(
            new ChargePointStorageBatch()
                .Put(ChargePointEngine.ConfigurationCollection, SecurityProfileKey, JsonSerializer.SerializeToUtf8Bytes(value, StorageJsonContext.Default.String))
                .Delete(StateCollection, PreviousProfileKey),
            "security profile");

        Engine.Configuration.Set(SecurityProfileKey, value);
        _effectiveProfile = previous;
        _previousProfile = null;
        _failures = 0;
        _log.Report("ReconfigurationOfSecurityParameters", $"Security profile {profile} could not connect; back to profile {previous}");
    }

    /// <summary>SecurityProfile may only be raised (A00.FR.005), and only to a profile whose credentials are installed.</summary>
    private bool CanChangeSecurityProfile(string value)
    {
        if (!_started || !int.TryParse(value, CultureInfo.InvariantCulture, out var target))
        {
            return true;
        }

        var current = Engine.Configuration.GetInt32(SecurityProfileKey);
        if (target == current)
        {
            return true;
        }

        var missing = target < current ? "lowering the security profile is not possible through OCPP" : MissingFor(target);
        if (missing is not null)
        {
            ChargePointLog.CertificateRejected(Engine.Logger, Engine.Identity, "SecurityProfile " + value, missing);
        }

        return missing is null;
    }

    private string? MissingFor(int profile)
    {
        var keySet = Engine.Configuration.GetRaw(AuthorizationKey).Length > 0;
        var snapshot = _certificates.Snapshot;
        var uri = Engine.Options.UriFor(profile);
        if (profile is 1 or 2 && !keySet)
        {
            return "no AuthorizationKey is set";
        }

        if (profile >= 2 && snapshot.CentralSystemRoots.Count == 0)
        {
            return "no CentralSystemRootCertificate is installed";
        }

        if (profile >= 2 && (uri is null || !ChargePointSecurity.IsTls(uri)))
        {
            return $"no wss:// URL for profile {profile} (ChargePointOptions.SecurityProfileUris)";
        }

        if (profile == 3 && snapshot.ChargePointCertificate is null && !_hardwareHasCertificate && Engine.Options.ClientCertificate is null)
        {
            return "no ChargePointCertificate is installed";
        }

        return null;
    }

    public override void OnConfigurationChanged(string key, IncomingCall call)
    {
        if (string.Equals(key, SecurityProfileKey, StringComparison.Ordinal))
        {
            var target = Engine.Configuration.GetInt32(SecurityProfileKey);
            if (target == _effectiveProfile)
            {
                return;
            }

            // Tried at the next connection; kept once it connects, else undone after FallbackAttempts failures.
            _previousProfile = _effectiveProfile;
            _failures = 0;
            SaveState(PreviousProfileKey, _effectiveProfile.ToString(CultureInfo.InvariantCulture));
            _log.Report("ReconfigurationOfSecurityParameters", string.Create(CultureInfo.InvariantCulture, $"SecurityProfile {_effectiveProfile} -> {target}"));
            _effectiveProfile = target;
            call.AfterResponse(() => _ = Engine.ReconnectAsync("security profile changed"));
        }
        else if (string.Equals(key, AuthorizationKey, StringComparison.Ordinal))
        {
            _log.Report("ReconfigurationOfSecurityParameters", "AuthorizationKey changed");
            if (_effectiveProfile != 3)
            {
                call.AfterResponse(() => _ = Engine.ReconnectAsync("authorization key changed"));
            }
        }
    }

    // ------------------------------------------------------------------ certificates (M03, M04, M05, A02)

    private ValueTask<InstallCertificateResponse> OnInstallCertificateAsync(InstallCertificateRequest request, IncomingCall call)
    {
        var configuration = Engine.Configuration;
        var (status, reason) = _certificates.Install(
            request.CertificateType,
            request.Certificate,
            Engine.Now,
            configuration.GetInt32(CertificateStoreMaxLength),
            configuration.GetBoolean(AdditionalRootCertificateCheck));
        if (status == InstallCertificateStatus.Accepted)
        {
            _log.Report("ReconfigurationOfSecurityParameters", request.CertificateType + " installed");
        }
        else
        {
            ChargePointLog.CertificateRejected(Engine.Logger, Engine.Identity, request.CertificateType.ToString(), reason ?? status.ToString());
            if (status == InstallCertificateStatus.Rejected && request.CertificateType == CertificateUse.CentralSystemRootCertificate)
            {
                _log.Report("InvalidCentralSystemCertificate", "InstallCertificate: " + reason);
            }
        }

        return ValueTask.FromResult(new InstallCertificateResponse { Status = status });
    }

    private async ValueTask<DeleteCertificateResponse> OnDeleteCertificateAsync(DeleteCertificateRequest request, IncomingCall call)
    {
        var chargePointCertificate = Engine.Hardware.CertificateStore is { } store ? await HardwareCertificateAsync(store).ConfigureAwait(false) : _certificates.Snapshot.ChargePointCertificate;
        var status = _certificates.Delete(request.CertificateHashData, chargePointCertificate ?? Engine.Options.ClientCertificate);
        if (status == DeleteCertificateStatus.Accepted)
        {
            _log.Report("ReconfigurationOfSecurityParameters", "Certificate " + request.CertificateHashData.SerialNumber + " deleted");
        }

        return new DeleteCertificateResponse { Status = status };
    }

    private ValueTask<GetInstalledCertificateIdsResponse> OnGetInstalledCertificateIdsAsync(GetInstalledCertificateIdsRequest request, IncomingCall call)
    {
        var ids = _certificates.GetIds(request.CertificateType);
        return ValueTask.FromResult(new GetInstalledCertificateIdsResponse
        {
            Status = ids.Count > 0 ? GetInstalledCertificateStatus.Accepted : GetInstalledCertificateStatus.NotFound,
            CertificateHashData = ids.Count > 0 ? ids : null,
        });
    }

    /// <summary>
    /// CertificateSigned (A02): at most CertificateSignedMaxChainSize characters, each certificate at most
    /// CertificateSignedMaxSize, a PEM chain whose leaf chains to an installed CentralSystemRootCertificate (with the
    /// sub-CA certificates sent along), is valid now, allows client authentication and is for the pending key pair.
    /// Accepted: it is the ChargePointCertificate from the next connection on. Rejected: the security event
    /// InvalidChargePointCertificate.
    /// </summary>
    private async ValueTask<CertificateSignedResponse> OnCertificateSignedAsync(CertificateSignedRequest request, IncomingCall call)
    {
        var reason = await InstallSignedAsync(request.CertificateChain).ConfigureAwait(false);
        if (reason is not null)
        {
            ChargePointLog.CertificateRejected(Engine.Logger, Engine.Identity, "CertificateSigned", reason);
            _log.Report("InvalidChargePointCertificate", reason);
            return new CertificateSignedResponse { Status = CertificateSignedStatus.Rejected };
        }

        _log.Report("ReconfigurationOfSecurityParameters", "ChargePointCertificate installed");
        return new CertificateSignedResponse { Status = CertificateSignedStatus.Accepted };
    }

    private async ValueTask<string?> InstallSignedAsync(string chainPem)
    {
        var configuration = Engine.Configuration;
        if (chainPem.Length > configuration.GetInt32(CertificateSignedMaxChainSize))
        {
            return "the chain is longer than CertificateSignedMaxChainSize";
        }

        if (!CertificateManager.TryParseChain(chainPem, out var chain))
        {
            return "not a PEM certificate chain";
        }

        if (chain.Any(c => c.PemLength > configuration.GetInt32(CertificateSignedMaxSize)))
        {
            return "a certificate is longer than CertificateSignedMaxSize";
        }

        var leaf = chain[0].Certificate;
        X509Certificate2Collection intermediates = [.. chain.Skip(1).Select(c => c.Certificate)];
        var roots = _certificates.Snapshot.CentralSystemRoots;
        if (roots.Count == 0)
        {
            return "no CentralSystemRootCertificate is installed";
        }

        if (!OcppCertificateValidation.ValidateChain(leaf, roots, OcppCertificateValidation.ClientAuthenticationOid, intermediates, Engine.Now))
        {
            return "it does not chain to an installed CentralSystemRootCertificate, is not valid now or does not allow client authentication";
        }

        if (Engine.Hardware.CertificateStore is not { } store)
        {
            return _certificates.InstallSigned(leaf, chainPem);
        }

        try
        {
            if (!await store.InstallChargePointCertificateAsync(leaf, intermediates).ConfigureAwait(false))
            {
                return "the certificate store refused it";
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ChargePointLog.HardwareFailed(Engine.Logger, Engine.Identity, 0, "install the ChargePointCertificate", e);
            return "the certificate store failed";
        }

        _hardwareHasCertificate = true;
        return null;
    }

    /// <summary>SignChargePointCertificate: a new key pair and a PKCS#10 request (CN = identity, O = CpoName) in SignCertificate.</summary>
    private async ValueTask SendSigningRequestAsync()
    {
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(Engine.Identity);
        name.AddOrganizationName(Engine.Configuration.GetRaw(CpoName));
        var subject = name.Build();
        string csr;
        try
        {
            csr = Engine.Hardware.CertificateStore is { } store
                ? await store.CreateCertificateSigningRequestAsync(subject).ConfigureAwait(false)
                : _certificates.CreateSigningRequest(subject);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ChargePointLog.HardwareFailed(Engine.Logger, Engine.Identity, 0, "create a certificate signing request", e);
            return;
        }

        Engine.Outbox.Enqueue(new OutboxCall<SignCertificateResponse>(new SignCertificateRequest { Csr = csr }, response =>
        {
            if (response.Status != GenericStatus.Accepted)
            {
                ChargePointLog.CertificateRejected(Engine.Logger, Engine.Identity, "SignCertificate", "the Central System rejected the signing request");
            }
        }));
    }

    // ------------------------------------------------------------------ ExtendedTriggerMessage (F06)

    private ValueTask<ExtendedTriggerMessageResponse> OnExtendedTriggerMessageAsync(ExtendedTriggerMessageRequest request, IncomingCall call)
    {
        var connectorId = request.ConnectorId;
        if (connectorId is { } id && (id < 0 || id > Engine.Connectors.All.Count))
        {
            return Answer(TriggerMessageStatus.Rejected);
        }

        Action? send = request.RequestedMessage switch
        {
            ExtendedMessageTrigger.BootNotification => Triggered(MessageTrigger.BootNotification),
            ExtendedMessageTrigger.Heartbeat => Triggered(MessageTrigger.Heartbeat),
            ExtendedMessageTrigger.MeterValues => Triggered(MessageTrigger.MeterValues),
            ExtendedMessageTrigger.StatusNotification => Triggered(MessageTrigger.StatusNotification),
            ExtendedMessageTrigger.FirmwareStatusNotification => SendSignedFirmwareStatus,
            ExtendedMessageTrigger.LogStatusNotification => SendLogStatus,
            ExtendedMessageTrigger.SignChargePointCertificate when Engine.Configuration.GetRaw(CpoName).Length > 0 => () => Engine.Loop.Post(SendSigningRequestAsync),
            ExtendedMessageTrigger.SignChargePointCertificate => null,
            _ => null,
        };
        if (send is null)
        {
            // No CpoName for the request's subject, or a message no module provides.
            return Answer(request.RequestedMessage == ExtendedMessageTrigger.SignChargePointCertificate ? TriggerMessageStatus.Rejected : TriggerMessageStatus.NotImplemented);
        }

        call.AfterResponse(send);
        return Answer(TriggerMessageStatus.Accepted);

        Action? Triggered(MessageTrigger trigger) => Engine.FindTrigger(trigger) is { } t ? () => t.Send(connectorId) : null;

        static ValueTask<ExtendedTriggerMessageResponse> Answer(TriggerMessageStatus status) => ValueTask.FromResult(new ExtendedTriggerMessageResponse { Status = status });
    }

    /// <summary>The last SignedFirmwareStatusNotification sent (Idle after Installed, or when none was sent).</summary>
    private void SendSignedFirmwareStatus()
    {
        var (status, requestId) = _firmware.Triggered(signed: true);
        Engine.Outbox.Enqueue(new OutboxCall<SignedFirmwareStatusNotificationResponse>(new SignedFirmwareStatusNotificationRequest { Status = status, RequestId = requestId }) { AllowedBeforeAccepted = true });
    }

    /// <summary>LogStatusNotification: Uploading with the requestId while a log is uploaded, else Idle.</summary>
    private void SendLogStatus()
    {
        var (uploading, requestId) = _uploads.Triggered(UploadKind.Log);
        Engine.Outbox.Enqueue(new OutboxCall<LogStatusNotificationResponse>(new LogStatusNotificationRequest
        {
            Status = uploading ? UploadLogStatus.Uploading : UploadLogStatus.Idle,
            RequestId = requestId,
        })
        {
            AllowedBeforeAccepted = true,
        });
    }

    // ------------------------------------------------------------------ GetLog (N01), SignedUpdateFirmware (L01)

    /// <summary>
    /// GetLog: the security log (every security event, between oldestTimestamp and latestTimestamp) or the hardware's
    /// diagnostics, uploaded after the answer to log.remoteLocation with LogStatusNotification (and the requestId).
    /// AcceptedCanceled when it replaces a log upload under way; Rejected when there is nothing to upload.
    /// </summary>
    private async ValueTask<GetLogResponse> OnGetLogAsync(GetLogRequest request, IncomingCall call)
    {
        string? file;
        var security = request.LogType == LogType.SecurityLog;
        if (security)
        {
            file = await _log.WriteFileAsync(request.Log.OldestTimestamp, request.Log.LatestTimestamp, request.RequestId).ConfigureAwait(false);
        }
        else
        {
            file = await FirmwareManagementProfile.CollectDiagnosticsAsync(Engine, request.Log.OldestTimestamp, request.Log.LatestTimestamp).ConfigureAwait(false);
        }

        if (file is null)
        {
            return new GetLogResponse { Status = LogStatus.Rejected };
        }

        var status = _uploads.IsBusy(UploadKind.Log) ? LogStatus.AcceptedCanceled : LogStatus.Accepted;
        var fileName = FirmwareManagementProfile.FileName(file);
        call.AfterResponse(() => _uploads.Start(UploadKind.Log, request.RequestId, request.Log.RemoteLocation, file, fileName, request.Retries, request.RetryInterval, deleteAfter: security));
        return new GetLogResponse { Status = status, Filename = fileName };
    }

    /// <summary>
    /// SignedUpdateFirmware: the signing certificate must chain to an installed ManufacturerRootCertificate (else
    /// InvalidCertificate and the security event InvalidFirmwareSigningCertificate); the update then runs as
    /// <see cref="FirmwareUpdater"/> describes, the signature verified over the downloaded file before installation.
    /// </summary>
    private ValueTask<SignedUpdateFirmwareResponse> OnSignedUpdateFirmwareAsync(SignedUpdateFirmwareRequest request, IncomingCall call)
    {
        var firmware = request.Firmware;
        if (!FirmwareSignature.IsTrusted(firmware.SigningCertificate, _certificates.Snapshot.ManufacturerRoots, Engine.Now, out var reason))
        {
            ChargePointLog.CertificateRejected(Engine.Logger, Engine.Identity, "Firmware signing certificate", reason);
            _log.Report("InvalidFirmwareSigningCertificate", reason);
            return ValueTask.FromResult(new SignedUpdateFirmwareResponse { Status = UpdateFirmwareStatus.InvalidCertificate });
        }

        if (!Uri.TryCreate(firmware.Location, UriKind.Absolute, out _))
        {
            return ValueTask.FromResult(new SignedUpdateFirmwareResponse { Status = UpdateFirmwareStatus.Rejected });
        }

        var status = _firmware.Take(new FirmwareUpdateRecord
        {
            Signed = true,
            RequestId = request.RequestId,
            Location = firmware.Location,
            RetrieveDate = firmware.RetrieveDateTime,
            InstallDate = firmware.InstallDateTime,
            Attempts = 1 + Math.Max(0, request.Retries ?? FileUploads.DefaultRetries),
            RetryInterval = Math.Max(0, request.RetryInterval ?? FileUploads.DefaultRetryInterval),
            SigningCertificate = firmware.SigningCertificate,
            Signature = firmware.Signature,
            Phase = FirmwarePhase.Scheduled,
        });
        if (status != UpdateFirmwareStatus.Rejected)
        {
            call.AfterResponse(_firmware.Begin);
        }

        return ValueTask.FromResult(new SignedUpdateFirmwareResponse { Status = status });
    }

    // ------------------------------------------------------------------ state

    private void SaveState(string key, string value)
    {
        Engine.TryWrite(new ChargePointStorageBatch().Put(StateCollection, key, JsonSerializer.SerializeToUtf8Bytes(value, StorageJsonContext.Default.String)), "security state");
    }

    private void DeleteState(string key)
    {
        Engine.TryWrite(new ChargePointStorageBatch().Delete(StateCollection, key), "security state");
    }
}
