using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

        foreach (var (key, range) in bound.ConfigurationKeyRanges ?? [])
        {
            options.ConfigurationKeyRanges[key] = range;
        }

        options.FileUploadMethod = bound.FileUploadMethod ?? options.FileUploadMethod;
        options.FirmwareDownloadDuringTransactions = bound.FirmwareDownloadDuringTransactions ?? options.FirmwareDownloadDuringTransactions;
        foreach (var (key, uri) in bound.SecurityProfileUris ?? [])
        {
            if (int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var profile))
            {
                options.SecurityProfileUris[profile] = uri;
            }
            else
            {
                options.ConfigurationProblems.Add($"ChargePointOptions.SecurityProfileUris: '{key}' is not a security profile (0 to 3).");
            }
        }

        LoadRoots(options, nameof(BindableChargePointOptions.CentralSystemRootCertificateFiles), bound.CentralSystemRootCertificateFiles, options.CentralSystemRootCertificates);
        LoadRoots(options, nameof(BindableChargePointOptions.ManufacturerRootCertificateFiles), bound.ManufacturerRootCertificateFiles, options.ManufacturerRootCertificates);
        LoadRoots(options, nameof(BindableChargePointOptions.FileTransferRootCertificateFiles), bound.FileTransferRootCertificateFiles, options.FileTransferRootCertificates);
        if (bound.ClientCertificateFile is { Length: > 0 } client)
        {
            try
            {
                var path = Resolve(options, client);
                options.ClientCertificate = bound.ClientCertificateKeyFile is { Length: > 0 } key
                    ? Reload(X509Certificate2.CreateFromPemFile(path, Resolve(options, key)))
                    : X509CertificateLoader.LoadPkcs12FromFile(path, bound.ClientCertificatePassword);
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                options.ConfigurationProblems.Add($"ChargePointOptions.ClientCertificateFile: {e.Message}");
            }
        }
    }

    /// <summary>Reads the root certificates of PEM (one or more) or DER files.</summary>
    private static void LoadRoots(ChargePointOptions options, string name, List<string>? files, X509Certificate2Collection into)
    {
        foreach (var file in files ?? [])
        {
            try
            {
                var path = Resolve(options, file);
                var text = File.ReadAllText(path);
                if (text.Contains("-----BEGIN", StringComparison.Ordinal))
                {
                    var before = into.Count;
                    into.ImportFromPem(text);
                    if (into.Count == before)
                    {
                        options.ConfigurationProblems.Add($"ChargePointOptions.{name}: {path} holds no PEM certificate.");
                    }
                }
                else
                {
                    into.Add(X509CertificateLoader.LoadCertificateFromFile(path));
                }
            }
            catch (Exception e) when (e is IOException or CryptographicException or UnauthorizedAccessException)
            {
                options.ConfigurationProblems.Add($"ChargePointOptions.{name}: {e.Message}");
            }
        }
    }

    /// <summary>A relative certificate path is in the data directory (when set), else in the working directory.</summary>
    private static string Resolve(ChargePointOptions options, string path)
        => Path.IsPathRooted(path) || options.DataDirectory is not { Length: > 0 } directory ? Path.GetFullPath(path) : Path.Combine(directory, path);

    /// <summary>Through PKCS#12, so that TLS can use the key of a PEM pair on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
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

        public Dictionary<string, ConfigurationKeyRange>? ConfigurationKeyRanges { get; set; }

        public Dictionary<string, Uri>? SecurityProfileUris { get; set; }

        public List<string>? CentralSystemRootCertificateFiles { get; set; }

        public List<string>? ManufacturerRootCertificateFiles { get; set; }

        public List<string>? FileTransferRootCertificateFiles { get; set; }

        public string? ClientCertificateFile { get; set; }

        public string? ClientCertificateKeyFile { get; set; }

        public string? ClientCertificatePassword { get; set; }

        public FileUploadMethod? FileUploadMethod { get; set; }

        public bool? FirmwareDownloadDuringTransactions { get; set; }
    }
}
