using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Ocpp16.Samples.Tests;

/// <summary>The MinimalCsms HTTP API as the tests see it, with polling helpers that never wait forever.</summary>
internal sealed class CsmsClient : IDisposable
{
    private readonly HttpClient _http;

    public CsmsClient(int port)
    {
        Port = port;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(15) };
    }

    public int Port { get; }

    /// <summary>GET a JSON document; throws on a non-success status.</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(new Uri(path, UriKind.Relative)).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"GET {path} → {(int)response.StatusCode}: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public Task<JsonElement> ChargePointsAsync() => GetJsonAsync("/api/chargepoints");

    public Task<JsonElement> TransactionsAsync() => GetJsonAsync("/api/transactions");

    /// <summary>POST /api/chargepoints/{id}/commands/{action} with a raw JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonElement? Body, string Text)> PostCommandAsync(string chargePointId, string action, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(new Uri($"/api/chargepoints/{chargePointId}/commands/{action}", UriKind.Relative), content).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        JsonElement? json = null;
        try
        {
            using var document = JsonDocument.Parse(text);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON: the caller asserts on Text.
        }

        return (response.StatusCode, json, text);
    }

    /// <summary>Waits until the API answers (the CSMS is listening).</summary>
    public async Task WaitUntilReadyAsync(SampleProcess csms, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (csms.HasExited)
            {
                Assert.Fail($"MinimalCsms exited before it was ready. {csms}");
            }

            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var response = await _http.GetAsync(new Uri("/api/chargepoints", UriKind.Relative), cts.Token).ConfigureAwait(false);
                // Ready when our process says it listens on the port (not some other process that took it) and answers.
                if (response.StatusCode == HttpStatusCode.OK && csms.Output.Contains($"Now listening on: http://127.0.0.1:{Port}", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"MinimalCsms did not answer GET /api/chargepoints within {timeout.TotalSeconds} s. {csms}");
            }

            await Task.Delay(150).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Polls <paramref name="path"/> until <paramref name="condition"/> holds; on timeout fails with the description,
    /// the last document seen and the processes' output.
    /// </summary>
    public async Task<JsonElement> WaitForAsync(string path, Func<JsonElement, bool> condition, TimeSpan timeout, string description, params SampleProcess[] processes)
    {
        var clock = Stopwatch.StartNew();
        JsonElement? last = null;
        while (true)
        {
            try
            {
                var json = await GetJsonAsync(path).ConfigureAwait(false);
                last = json;
                if (condition(json))
                {
                    return json;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException)
            {
                // Try again until the deadline.
            }

            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds} s waiting for: {description}\nLast GET {path}: {last?.GetRawText() ?? "(none)"}\n{string.Join("\n", processes.Select(p => p.ToString()))}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    public Task<JsonElement> WaitForChargePointsAsync(Func<JsonElement, bool> condition, string description, params SampleProcess[] processes)
        => WaitForAsync("/api/chargepoints", condition, TimeSpan.FromSeconds(30), description, processes);

    public Task<JsonElement> WaitForTransactionsAsync(Func<JsonElement, bool> condition, string description, params SampleProcess[] processes)
        => WaitForAsync("/api/transactions", condition, TimeSpan.FromSeconds(30), description, processes);

    /// <summary>Waits until <paramref name="id"/> is listed with a bootNotification and connectors 0, 1 and 2 Available.</summary>
    public Task<JsonElement> WaitForChargePointAvailableAsync(string id, params SampleProcess[] processes)
        => WaitForChargePointsAsync(
            list => Api.ChargePoint(list, id) is { } cp
                && cp.TryGetProperty("bootNotification", out var boot) && boot.ValueKind == JsonValueKind.Object
                && Api.ConnectorStatus(cp, 0) == "Available" && Api.ConnectorStatus(cp, 1) == "Available" && Api.ConnectorStatus(cp, 2) == "Available",
            $"{id} listed with its bootNotification and connectors 0, 1, 2 Available",
            processes);

    /// <summary>Waits until connector <paramref name="connectorId"/> of <paramref name="id"/> has <paramref name="status"/>.</summary>
    public Task<JsonElement> WaitForConnectorStatusAsync(string id, int connectorId, string status, params SampleProcess[] processes)
        => WaitForChargePointsAsync(
            list => Api.ChargePoint(list, id) is { } cp && Api.ConnectorStatus(cp, connectorId) == status,
            $"{id} connector {connectorId} {status}",
            processes);

    public void Dispose() => _http.Dispose();
}

/// <summary>Reading the JSON the MinimalCsms API returns.</summary>
internal static class Api
{
    /// <summary>The entry for <paramref name="id"/> in GET /api/chargepoints, or null.</summary>
    public static JsonElement? ChargePoint(JsonElement list, string id)
    {
        foreach (var cp in list.EnumerateArray())
        {
            if (cp.TryGetProperty("id", out var cpId) && cpId.ValueKind == JsonValueKind.String && cpId.GetString() == id)
            {
                return cp;
            }
        }

        return null;
    }

    /// <summary>The last reported status of a connector, or null.</summary>
    public static string? ConnectorStatus(JsonElement chargePoint, int connectorId)
    {
        if (!chargePoint.TryGetProperty("connectors", out var connectors) || connectors.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var c in connectors.EnumerateArray())
        {
            if (c.TryGetProperty("connectorId", out var cid) && cid.ValueKind == JsonValueKind.Number && cid.GetInt32() == connectorId
                && c.TryGetProperty("status", out var status))
            {
                return status.GetString();
            }
        }

        return null;
    }

    /// <summary>The transactions of GET /api/transactions for one charge point.</summary>
    public static IEnumerable<JsonElement> Transactions(JsonElement list, string chargePointId)
        => list.EnumerateArray().Where(t => t.TryGetProperty("chargePointId", out var cp) && cp.GetString() == chargePointId);

    public static bool IsActive(JsonElement transaction)
        => transaction.TryGetProperty("active", out var active) && active.ValueKind == JsonValueKind.True;

    public static int Int(JsonElement element, string property) => element.GetProperty(property).GetInt32();

    public static string? String(JsonElement element, string property)
        => element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
