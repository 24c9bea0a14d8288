using System.Text;
using Microsoft.AspNetCore.Http;

namespace Ocpp16.CentralSystem;

/// <summary>HTTP Basic credentials of a charge point (RFC 7617; OCPP 1.6 Security Whitepaper ed. 3, §2.1: user = identity).</summary>
internal static class BasicCredentials
{
    /// <summary>The outcome of reading the <c>Authorization</c> header.</summary>
    internal enum Outcome
    {
        /// <summary>No Basic credentials were sent.</summary>
        None,

        /// <summary>Basic credentials for the connecting identity.</summary>
        Present,

        /// <summary>Basic credentials that are malformed or name another user: refused with 401.</summary>
        Invalid,
    }

    /// <summary>Reads the Basic password for <paramref name="identity"/>.</summary>
    /// <param name="request">The upgrade request.</param>
    /// <param name="identity">The connecting identity; the user name must equal it (ordinal).</param>
    /// <param name="password">The password when <see cref="Outcome.Present"/>.</param>
    /// <returns>Whether credentials were present and for this identity.</returns>
    public static Outcome Read(HttpRequest request, string identity, out string? password)
    {
        password = null;
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.None;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return Outcome.Invalid;
        }

        // The user-id of RFC 7617 cannot contain ':', so the first colon ends it; identities with ':' are refused at
        // the handshake for that reason.
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !string.Equals(decoded[..colon], identity, StringComparison.Ordinal))
        {
            return Outcome.Invalid;
        }

        password = decoded[(colon + 1)..];
        return Outcome.Present;
    }
}
