using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Ocpp16.Transport;

namespace Ocpp16.ChargePoint.Features.FirmwareManagement;

/// <summary>Why a transfer failed (mapped to the status notifications: UploadFailure, PermissionDenied, NotSupportedOperation…).</summary>
internal enum TransferFailure
{
    /// <summary>The server could not be reached, answered with an error, or the transfer broke off.</summary>
    Failed,

    /// <summary>The server refused the credentials or the access (HTTP 401/403, FTP 530).</summary>
    PermissionDenied,

    /// <summary>The location's scheme is not one of the supported protocols.</summary>
    NotSupported,
}

/// <summary>A failed file transfer; the message never contains the credentials of the location.</summary>
internal sealed class FileTransferException(TransferFailure failure, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public TransferFailure Failure { get; } = failure;
}

/// <summary>Moves firmware images, diagnostics and logs between the charge point and a server (runs off the loop).</summary>
internal interface IFileTransfer
{
    /// <summary>The protocols built in, as SupportedFileTransferProtocols names them (e.g. FTP, HTTP, HTTPS).</summary>
    IReadOnlyList<string> Protocols { get; }

    /// <summary>Downloads <paramref name="location"/> into <paramref name="destinationPath"/> (replaced).</summary>
    /// <exception cref="FileTransferException">The download failed.</exception>
    Task DownloadAsync(Uri location, string destinationPath, CancellationToken cancellationToken);

    /// <summary>Uploads <paramref name="sourcePath"/> to <paramref name="location"/> as <paramref name="fileName"/>.</summary>
    /// <exception cref="FileTransferException">The upload failed.</exception>
    Task UploadAsync(Uri location, string sourcePath, string fileName, CancellationToken cancellationToken);
}

/// <summary>
/// The built-in transfers: HTTP and HTTPS through <see cref="HttpClient"/> (downloads with GET; uploads with PUT or a
/// multipart POST, <see cref="ChargePointOptions.FileUploadMethod"/>) and FTP through the BCL's
/// <see cref="FtpWebRequest"/> (passive mode, binary; no well-kept FTP client is on the package mirror). Credentials come
/// from the location's user information (<c>ftp://user:password@host/path</c>; HTTP Basic for http/https), URL-decoded,
/// and never appear in a log or an exception message. An https server's certificate must chain to
/// <see cref="ChargePointOptions.FileTransferRootCertificates"/> when given, else to the system's trust store.
/// </summary>
internal sealed class FileTransferClient(ChargePointOptions options) : IFileTransfer
{
    /// <summary>The longest a single transfer may take.</summary>
    public static readonly TimeSpan TransferTimeout = TimeSpan.FromMinutes(30);

    private const int BufferSize = 81920;

    public IReadOnlyList<string> Protocols { get; } = ["FTP", "HTTP", "HTTPS"];

    /// <summary>The location without its user information, for logs.</summary>
    public static string Redact(Uri location)
        => location.IsAbsoluteUri && location.UserInfo.Length > 0 ? new UriBuilder(location) { UserName = string.Empty, Password = string.Empty }.Uri.ToString() : location.ToString();

    /// <summary>The target of an upload: the location with the file name appended when it ends with <c>/</c>.</summary>
    public static Uri UploadTarget(Uri location, string fileName)
        => location.AbsolutePath.EndsWith('/') ? new Uri(location, Uri.EscapeDataString(fileName)) : location;

    public async Task DownloadAsync(Uri location, string destinationPath, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destinationPath))!);
        var partial = destinationPath + ".part";
        try
        {
            switch (SchemeOf(location))
            {
                case "http" or "https":
                    await HttpDownloadAsync(location, partial, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await FtpDownloadAsync(location, partial, cancellationToken).ConfigureAwait(false);
                    break;
            }

            File.Move(partial, destinationPath, overwrite: true);
        }
        finally
        {
            TryDelete(partial);
        }
    }

    public Task UploadAsync(Uri location, string sourcePath, string fileName, CancellationToken cancellationToken)
        => SchemeOf(location) switch
        {
            "http" or "https" => HttpUploadAsync(location, sourcePath, fileName, cancellationToken),
            _ => FtpUploadAsync(UploadTarget(location, fileName), sourcePath, cancellationToken),
        };

    private static string SchemeOf(Uri location)
    {
        var scheme = location.IsAbsoluteUri ? location.Scheme.ToLowerInvariant() : string.Empty;
        if (scheme is not ("http" or "https" or "ftp"))
        {
            throw new FileTransferException(TransferFailure.NotSupported, $"The scheme '{scheme}' is not supported (FTP, HTTP, HTTPS).");
        }

        return scheme;
    }

    // ------------------------------------------------------------------ HTTP and HTTPS

    private HttpClient CreateHttpClient()
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = true, ConnectTimeout = TimeSpan.FromSeconds(30) };
        if (options.FileTransferRootCertificates.Count > 0)
        {
            var validate = OcppCertificateValidation.CreateServerCertificateValidator(options.FileTransferRootCertificates);
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = validate };
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = TransferTimeout };
    }

    private static HttpRequestMessage NewRequest(HttpMethod method, Uri location)
    {
        var request = new HttpRequestMessage(method, WithoutUserInfo(location));
        if (Credentials(location) is { } credentials)
        {
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.UserName + ":" + credentials.Password));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", token);
        }

        return request;
    }

    private async Task HttpDownloadAsync(Uri location, string path, CancellationToken cancellationToken)
    {
        using var client = CreateHttpClient();
        using var request = NewRequest(HttpMethod.Get, location);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            Check(response, location);
            var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            throw new FileTransferException(TransferFailure.Failed, $"Download from {Redact(location)} failed: {e.HttpRequestError}.", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FileTransferException(TransferFailure.Failed, $"Download from {Redact(location)} timed out.", e);
        }
    }

    private async Task HttpUploadAsync(Uri location, string path, string fileName, CancellationToken cancellationToken)
    {
        using var client = CreateHttpClient();
        var put = options.FileUploadMethod == FileUploadMethod.Put;
        var target = put ? UploadTarget(location, fileName) : location;
        using var request = NewRequest(put ? HttpMethod.Put : HttpMethod.Post, target);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            var body = new StreamContent(file, BufferSize);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            if (put)
            {
                request.Content = body;
            }
            else
            {
                request.Content = new MultipartFormDataContent { { body, "file", fileName } };
            }

            try
            {
                using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                Check(response, target);
            }
            catch (HttpRequestException e)
            {
                throw new FileTransferException(TransferFailure.Failed, $"Upload to {Redact(target)} failed: {e.HttpRequestError}.", e);
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FileTransferException(TransferFailure.Failed, $"Upload to {Redact(target)} timed out.", e);
            }
        }
    }

    private static void Check(HttpResponseMessage response, Uri location)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var failure = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? TransferFailure.PermissionDenied : TransferFailure.Failed;
        throw new FileTransferException(failure, $"{Redact(location)} answered HTTP {(int)response.StatusCode}.");
    }

    // ------------------------------------------------------------------ FTP

#pragma warning disable SYSLIB0014 // FtpWebRequest is obsolete but the BCL's only FTP client; the package mirror has no maintained one.
    private static FtpWebRequest NewFtpRequest(Uri location, string method)
    {
        var request = (FtpWebRequest)WebRequest.Create(WithoutUserInfo(location));
        request.Method = method;
        request.UsePassive = true;
        request.UseBinary = true;
        request.KeepAlive = false;
        request.Timeout = (int)TransferTimeout.TotalMilliseconds;
        request.ReadWriteTimeout = (int)TimeSpan.FromMinutes(2).TotalMilliseconds;
        request.Credentials = Credentials(location) ?? new NetworkCredential("anonymous", "ocpp16@");
        return request;
    }
#pragma warning restore SYSLIB0014

    private static async Task FtpDownloadAsync(Uri location, string path, CancellationToken cancellationToken)
    {
        var request = NewFtpRequest(location, WebRequestMethods.Ftp.DownloadFile);
        await using var abort = cancellationToken.Register(request.Abort).ConfigureAwait(false);
        try
        {
            using var response = (FtpWebResponse)await request.GetResponseAsync().ConfigureAwait(false);
            var source = response.GetResponseStream();
            await using (source.ConfigureAwait(false))
            {
                var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    await source.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (WebException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw FtpFailure("Download from", location, e);
        }
    }

    private static async Task FtpUploadAsync(Uri target, string path, CancellationToken cancellationToken)
    {
        var request = NewFtpRequest(target, WebRequestMethods.Ftp.UploadFile);
        await using var abort = cancellationToken.Register(request.Abort).ConfigureAwait(false);
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                request.ContentLength = file.Length;
                var destination = await request.GetRequestStreamAsync().ConfigureAwait(false);
                await using (destination.ConfigureAwait(false))
                {
                    await file.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
                }
            }

            using var response = (FtpWebResponse)await request.GetResponseAsync().ConfigureAwait(false);
        }
        catch (WebException e)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw FtpFailure("Upload to", target, e);
        }
    }

    private static FileTransferException FtpFailure(string what, Uri location, WebException e)
    {
        var code = (e.Response as FtpWebResponse)?.StatusCode;
        var failure = code is FtpStatusCode.NotLoggedIn or FtpStatusCode.AccountNeeded ? TransferFailure.PermissionDenied : TransferFailure.Failed;
        return new FileTransferException(failure, $"{what} {Redact(location)} failed: {(code is { } c ? "FTP " + (int)c : e.Status.ToString())}.", e);
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>The credentials of the location's user information (URL-decoded), or <see langword="null"/>.</summary>
    private static NetworkCredential? Credentials(Uri location)
    {
        if (location.UserInfo.Length == 0)
        {
            return null;
        }

        var separator = location.UserInfo.IndexOf(':', StringComparison.Ordinal);
        var user = separator < 0 ? location.UserInfo : location.UserInfo[..separator];
        var password = separator < 0 ? string.Empty : location.UserInfo[(separator + 1)..];
        return new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
    }

    private static Uri WithoutUserInfo(Uri location)
        => location.UserInfo.Length > 0 ? new UriBuilder(location) { UserName = string.Empty, Password = string.Empty }.Uri : location;

    internal static void TryDelete(string? path)
    {
        if (path is null)
        {
            return;
        }

        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover file in the files folder.
        }
    }
}
