using System.Globalization;
using Microsoft.Extensions.Configuration;
using Ocpp16.ChargePoint;
using Ocpp16.Messages;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Binds the configurable <see cref="ChargePointOptions"/> from a configuration section (AOT-safe: the binder's source generator).</summary>
internal static class ChargePointOptionsBinder
{
    public static void Bind(IConfiguration configuration, ChargePointOptions options)
    {
        var bound = configuration.Get<BindableChargePointOptions>() ?? new BindableChargePointOptions();
        options.Identity = bound.Identity ?? options.Identity;
        options.CentralSystemUri = bound.CentralSystemUri ?? options.CentralSystemUri;
        options.Password = bound.Password ?? options.Password;
        options.SecurityProfile = bound.SecurityProfile ?? options.SecurityProfile;
        options.ChargePointVendor = bound.ChargePointVendor ?? options.ChargePointVendor;
        options.ChargePointModel = bound.ChargePointModel ?? options.ChargePointModel;
        options.ChargePointSerialNumber = bound.ChargePointSerialNumber ?? options.ChargePointSerialNumber;
        options.ChargeBoxSerialNumber = bound.ChargeBoxSerialNumber ?? options.ChargeBoxSerialNumber;
        options.FirmwareVersion = bound.FirmwareVersion ?? options.FirmwareVersion;
        options.MeterType = bound.MeterType ?? options.MeterType;
        options.MeterSerialNumber = bound.MeterSerialNumber ?? options.MeterSerialNumber;
        options.Iccid = bound.Iccid ?? options.Iccid;
        options.Imsi = bound.Imsi ?? options.Imsi;
        options.DataDirectory = bound.DataDirectory ?? options.DataDirectory;
        options.PongTimeout = bound.PongTimeout ?? options.PongTimeout;
        options.CallTimeout = bound.CallTimeout ?? options.CallTimeout;
        options.ReconnectMinDelay = bound.ReconnectMinDelay ?? options.ReconnectMinDelay;
        options.ReconnectMaxDoublings = bound.ReconnectMaxDoublings ?? options.ReconnectMaxDoublings;
        options.ReconnectRandomRange = bound.ReconnectRandomRange ?? options.ReconnectRandomRange;
        options.ReconnectMaxDelay = bound.ReconnectMaxDelay ?? options.ReconnectMaxDelay;
        options.AuthorizationCacheCapacity = bound.AuthorizationCacheCapacity ?? options.AuthorizationCacheCapacity;
        if (bound.FeatureProfiles is { } profiles)
        {
            // A list in the configuration replaces the default (every available profile); Core is always on.
            options.FeatureProfiles.Clear();
            options.FeatureProfiles.Add(OcppFeatureProfile.Core);
            foreach (var name in profiles)
            {
                options.FeatureProfiles.Add(Enum.Parse<OcppFeatureProfile>(name, ignoreCase: true));
            }
        }

        foreach (var (key, value) in bound.Configuration ?? [])
        {
            options.Configuration[key] = value;
        }
    }

    /// <summary>The options that come from configuration, all optional.</summary>
    internal sealed class BindableChargePointOptions
    {
        public string? Identity { get; set; }

        public Uri? CentralSystemUri { get; set; }

        public string? Password { get; set; }

        public int? SecurityProfile { get; set; }

        public string? ChargePointVendor { get; set; }

        public string? ChargePointModel { get; set; }

        public string? ChargePointSerialNumber { get; set; }

        public string? ChargeBoxSerialNumber { get; set; }

        public string? FirmwareVersion { get; set; }

        public string? MeterType { get; set; }

        public string? MeterSerialNumber { get; set; }

        public string? Iccid { get; set; }

        public string? Imsi { get; set; }

        public string? DataDirectory { get; set; }

        public TimeSpan? PongTimeout { get; set; }

        public TimeSpan? CallTimeout { get; set; }

        public TimeSpan? ReconnectMinDelay { get; set; }

        public int? ReconnectMaxDoublings { get; set; }

        public TimeSpan? ReconnectRandomRange { get; set; }

        public TimeSpan? ReconnectMaxDelay { get; set; }

        public int? AuthorizationCacheCapacity { get; set; }

        public List<string>? FeatureProfiles { get; set; }

        public Dictionary<string, string>? Configuration { get; set; }
    }
}
