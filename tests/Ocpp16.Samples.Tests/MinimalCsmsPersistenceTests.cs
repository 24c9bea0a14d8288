using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Ocpp16.Samples.Tests;

/// <summary>Raw OCPP-J over a ClientWebSocket, for tests that play a charge point frame by frame.</summary>
internal static class RawOcpp
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static async Task<ClientWebSocket> ConnectAsync(int port, string id, string? password = null)
    {
        var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("ocpp1.6");
        if (password is not null)
        {
            ws.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(id + ":" + password)));
        }

        using var cts = new CancellationTokenSource(Timeout);
        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ocpp/{id}"), cts.Token);
        return ws;
    }

    public static async Task<HttpStatusCode> HandshakeAsync(int port, string id, string? password)
    {
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.AddSubProtocol("ocpp1.6");
        if (password is not null)
        {
            ws.Options.SetRequestHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(id + ":" + password)));
        }

        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/ocpp/{id}"), cts.Token);
        }
        catch (WebSocketException)
        {
            return ws.HttpStatusCode;
        }

        return ws.HttpStatusCode;
    }

    /// <summary>Sends a CALL and returns the frame that answers it.</summary>
    public static async Task<JsonElement> CallAsync(ClientWebSocket ws, string uniqueId, string action, string payload)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await ws.SendAsync(Encoding.UTF8.GetBytes($"[2,\"{uniqueId}\",\"{action}\",{payload}]"), WebSocketMessageType.Text, true, cts.Token);
        var buffer = new byte[64 * 1024];
        using var stream = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await ws.ReceiveAsync(buffer, cts.Token);
            stream.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        using var document = JsonDocument.Parse(stream.ToArray());
        return document.RootElement.Clone();
    }
}

/// <summary>MinimalCsms keeps its data in SQLite in --data-dir: a restart keeps the transactions and ids continue.</summary>
public sealed class MinimalCsmsPersistenceTests
{
    [Fact]
    public async Task Restart_keeps_transactions_and_meter_values_and_new_transaction_ids_continue_after_the_old_ones()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-csms-restart-" + Guid.NewGuid().ToString("N"));
        try
        {
            int lastId;
            int meterValues;
            await using (var first = await Rig.StartAsync("--data-dir", dataDirectory))
            {
                Assert.True(Directory.Exists(dataDirectory), "the data directory is created on first run");
                using var ws = await RawOcpp.ConnectAsync(first.Api.Port, "CP-P1");
                await RawOcpp.CallAsync(ws, "1", "BootNotification", """{"chargePointVendor":"V","chargePointModel":"M"}""");
                var start = await RawOcpp.CallAsync(ws, "2", "StartTransaction", """{"connectorId":1,"idTag":"DEMO-TAG-1","meterStart":100,"timestamp":"2026-01-01T10:00:00Z"}""");
                lastId = start[2].GetProperty("transactionId").GetInt32();
                await RawOcpp.CallAsync(ws, "3", "MeterValues", $$"""{"connectorId":1,"transactionId":{{lastId}},"meterValue":[{"timestamp":"2026-01-01T10:05:00Z","sampledValue":[{"value":"1500","measurand":"Energy.Active.Import.Register","unit":"Wh"},{"value":"7000","measurand":"Power.Active.Import","unit":"W"}]}]}""");
                var second = await RawOcpp.CallAsync(ws, "4", "StartTransaction", """{"connectorId":2,"idTag":"DEMO-TAG-2","meterStart":0,"timestamp":"2026-01-01T10:01:00Z"}""");
                lastId = Math.Max(lastId, second[2].GetProperty("transactionId").GetInt32());
                var transactions = await first.Api.TransactionsAsync();
                meterValues = transactions.EnumerateArray().Sum(t => t.GetProperty("meterValuesCount").GetInt32());
                Assert.Equal(1, meterValues);

                // The process is killed, not stopped: every answered message was committed before its answer.
            }

            await using var restarted = await Rig.StartAsync("--data-dir", dataDirectory);
            var kept = await restarted.Api.TransactionsAsync();
            Assert.Equal(2, kept.GetArrayLength());
            var first1 = kept.EnumerateArray().Single(t => t.GetProperty("connectorId").GetInt32() == 1);
            Assert.Equal(1500m, first1.GetProperty("lastMeterValueWh").GetDecimal());
            Assert.Equal(meterValues, kept.EnumerateArray().Sum(t => t.GetProperty("meterValuesCount").GetInt32()));
            Assert.True(first1.GetProperty("active").GetBoolean());

            using var again = await RawOcpp.ConnectAsync(restarted.Api.Port, "CP-P1");
            var stop = await RawOcpp.CallAsync(again, "5", "StopTransaction", $$"""{"transactionId":{{first1.GetProperty("transactionId").GetInt32()}},"meterStop":2000,"timestamp":"2026-01-01T11:00:00Z","idTag":"DEMO-TAG-1"}""");
            Assert.Equal(3, stop[0].GetInt32());
            var next = await RawOcpp.CallAsync(again, "6", "StartTransaction", """{"connectorId":1,"idTag":"DEMO-TAG-1","meterStart":2000,"timestamp":"2026-01-01T11:01:00Z"}""");
            Assert.True(next[2].GetProperty("transactionId").GetInt32() > lastId, $"new id {next[2].GetProperty("transactionId")} after {lastId}");

            var stations = await restarted.Api.GetJsonAsync("/api/stations");
            Assert.Contains(stations.EnumerateArray(), s => s.GetProperty("id").GetString() == "CP-P1" && s.GetProperty("model").GetString() == "M");
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}

/// <summary>The WAL is checkpointed into the database file off the commit path, on the checkpoint thread.</summary>
public sealed class MinimalCsmsCheckpointTests
{
    [Fact]
    public async Task Committed_meter_values_reach_the_database_file_through_the_checkpoint_thread_and_runtime_figures_are_served()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-csms-checkpoint-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var rig = await Rig.StartAsync("--data-dir", dataDirectory, "--Csms:CheckpointIntervalMs=200");
            var database = new FileInfo(Path.Combine(dataDirectory, "csms.db"));
            using var ws = await RawOcpp.ConnectAsync(rig.Api.Port, "CP-CK");
            await RawOcpp.CallAsync(ws, "b", "BootNotification", """{"chargePointVendor":"V","chargePointModel":"M"}""");
            await Task.Delay(600);
            database.Refresh();
            var before = database.Length;
            var runtimeBefore = await rig.Api.GetJsonAsync("/api/runtime");

            // ~200 rows of ~400 bytes: some 20 pages more than the file held, which only a checkpoint writes there (the
            // writer's own automatic checkpoints are off).
            var padding = string.Join(",", Enumerable.Range(0, 8).Select(i => $$"""{"value":"{{i}}000.5","measurand":"Energy.Active.Import.Register","unit":"Wh"}"""));
            for (var i = 0; i < 200; i++)
            {
                var answer = await RawOcpp.CallAsync(ws, "m" + i, "MeterValues", $$"""{"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:00Z","sampledValue":[{{padding}}]}]}""");
                Assert.Equal(3, answer[0].GetInt32());
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            do
            {
                await Task.Delay(100);
                database.Refresh();
            }
            while (database.Length < before + 40_000 && DateTime.UtcNow < deadline);
            Assert.True(database.Length >= before + 40_000, $"csms.db grew from {before} to {database.Length} bytes");

            // The runtime figures are the process's own, read at each request: what the 200 calls above allocated shows.
            var runtime = await rig.Api.GetJsonAsync("/api/runtime");
            Assert.True(runtime.GetProperty("allocatedBytes").GetInt64() - runtimeBefore.GetProperty("allocatedBytes").GetInt64() > 200 * 1_000, "the 200 MeterValues allocated in the CSMS");
            Assert.True(runtime.GetProperty("jitCompiledMethods").GetInt64() >= runtimeBefore.GetProperty("jitCompiledMethods").GetInt64());
            Assert.True(runtime.GetProperty("gen0Collections").GetInt32() >= runtimeBefore.GetProperty("gen0Collections").GetInt32());
            Assert.True(runtime.GetProperty("gcPauseMs").GetDouble() >= runtimeBefore.GetProperty("gcPauseMs").GetDouble());
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}

/// <summary>MinimalCsms stops cleanly on SIGTERM (as under systemd or Ctrl+C): the writer and its checkpoint thread shut down once.</summary>
public sealed class MinimalCsmsShutdownTests
{
    [Fact]
    public async Task SIGTERM_stops_the_CSMS_with_exit_code_0_and_no_unhandled_exception()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "ocpp16-csms-stop-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var rig = await Rig.StartAsync("--data-dir", dataDirectory);
            using (var ws = await RawOcpp.ConnectAsync(rig.Api.Port, "CP-STOP"))
            {
                await RawOcpp.CallAsync(ws, "b", "BootNotification", """{"chargePointVendor":"V","chargePointModel":"M"}""");
            }

            rig.Csms.Terminate();
            var exit = await rig.Csms.WaitForExitAsync(TimeSpan.FromSeconds(30));

            Assert.True(exit == 0, $"exit code {exit?.ToString() ?? "none (still running)"}; output:\n{rig.Csms.Output}");
            Assert.DoesNotContain("Unhandled exception", rig.Csms.Output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }
}

/// <summary>The API's additions: problem details, the OpenAPI document, the action list, PasswordHash, and a handler for every CP→CS action.</summary>
public sealed class MinimalCsmsApiTests(CsmsFixture fixture) : IClassFixture<CsmsFixture>
{
    [Fact]
    public async Task Errors_are_RFC7807_problem_details()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{fixture.Rig.Api.Port}") };
        using var content = new StringContent("{}", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await http.PostAsync(new Uri("/api/chargepoints/NOPE/commands/Reset", UriKind.Relative), content).WaitAsync(RawOcpp.Timeout);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("NotConnected", problem.RootElement.GetProperty("title").GetString());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task OpenApi_document_describes_the_api_and_every_CS_to_CP_action_is_listed()
    {
        var document = await fixture.Rig.Api.GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/chargepoints", "/api/transactions", "/api/chargepoints/{id}/commands/{action}", "/api/events" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path + " is not in the OpenAPI document");
        }

        var actions = await fixture.Rig.Api.GetJsonAsync("/api/actions");
        Assert.Equal(26, actions.GetArrayLength());
        Assert.Contains(actions.EnumerateArray(), a => a.GetProperty("name").GetString() == "SignedUpdateFirmware");
    }

    [Fact]
    public async Task Every_charge_point_to_CSMS_action_is_answered_with_a_CALLRESULT()
    {
        using var ws = await RawOcpp.ConnectAsync(fixture.Rig.Api.Port, "CP-ALL");
        string[] calls =
        [
            """["BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]""",
            """["Authorize",{"idTag":"DEMO-TAG-1"}]""",
            """["DataTransfer",{"vendorId":"x"}]""",
            """["Heartbeat",{}]""",
            """["StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}]""",
            """["StartTransaction",{"connectorId":1,"idTag":"DEMO-TAG-1","meterStart":0,"timestamp":"2026-01-01T00:00:00Z"}]""",
            """["MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2026-01-01T00:00:01Z","sampledValue":[{"value":"5"}]}]}]""",
            """["StopTransaction",{"transactionId":999999,"meterStop":5,"timestamp":"2026-01-01T00:01:00Z"}]""",
            """["DiagnosticsStatusNotification",{"status":"Uploaded"}]""",
            """["FirmwareStatusNotification",{"status":"Installed"}]""",
            """["LogStatusNotification",{"status":"Uploaded"}]""",
            """["SecurityEventNotification",{"type":"FirmwareUpdated","timestamp":"2026-01-01T00:00:00Z"}]""",
            """["SignCertificate",{"csr":"-----BEGIN CERTIFICATE REQUEST-----"}]""",
            """["SignedFirmwareStatusNotification",{"status":"Installed"}]""",
        ];
        var n = 0;
        foreach (var call in calls)
        {
            using var parts = JsonDocument.Parse(call);
            var action = parts.RootElement[0].GetString()!;
            var answer = await RawOcpp.CallAsync(ws, "c" + ++n, action, parts.RootElement[1].GetRawText());
            Assert.True(answer[0].GetInt32() == 3, $"{action}: {answer}");
        }

        var stations = await fixture.Rig.Api.GetJsonAsync("/api/stations");
        var station = stations.EnumerateArray().Single(s => s.GetProperty("id").GetString() == "CP-ALL");
        Assert.Equal("Uploaded", station.GetProperty("diagnosticsStatus").GetString());
        Assert.Equal("Installed", station.GetProperty("firmwareStatus").GetString());
    }

    [Fact]
    public async Task PasswordHash_made_by_hash_password_authenticates_the_charge_point()
    {
        await using var hasher = SampleProcess.StartMinimalCsms(Samples.FreePort(), "--hash-password", "s3cret-AuthKey");
        var exit = await hasher.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, exit);
        var hash = hasher.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
        Assert.DoesNotContain("s3cret", hash, StringComparison.Ordinal);

        await using var rig = await Rig.StartAsync($"--ChargePoints:CP-H:PasswordHash={hash}");
        Assert.Equal(HttpStatusCode.Unauthorized, await RawOcpp.HandshakeAsync(rig.Api.Port, "CP-H", "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, await RawOcpp.HandshakeAsync(rig.Api.Port, "CP-H", null));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await RawOcpp.HandshakeAsync(rig.Api.Port, "CP-H", "s3cret-AuthKey"));
    }
}
