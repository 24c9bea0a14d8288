using System.Text.Json;

namespace Ocpp16.Samples.Tests;

// Contract: DcCharger --csms ws://127.0.0.1:PORT/ocpp --id CP1 connects to {csms}/{id}; two connectors; stdin commands
// plug N | unplug N | swipe TAG | fault N | clearfault N | quit. Each scenario is its own class so they run in parallel.

/// <summary>A full session driven from stdin: plug, swipe to start, swipe to stop, unplug.</summary>
public sealed class DcChargerSessionTests
{
    [Fact]
    public async Task Plug_swipe_swipe_unplug_charges_and_stops_with_reason_Local()
    {
        await using var rig = await Rig.StartAsync();
        var charger = await rig.StartConnectedChargerAsync("CP1");

        var list = await rig.Api.ChargePointsAsync();
        var cp = Api.ChargePoint(list, "CP1")!.Value;
        Assert.Equal("Available", Api.ConnectorStatus(cp, 0));
        Assert.Equal("Available", Api.ConnectorStatus(cp, 1));
        Assert.Equal("Available", Api.ConnectorStatus(cp, 2));
        Assert.Null(Api.ConnectorStatus(cp, 3));

        await charger.SendLineAsync("plug 1");
        await charger.SendLineAsync("swipe DEMO-TAG-1");
        var transactions = await rig.Api.WaitForTransactionsAsync(
            l => Api.Transactions(l, "CP1").Any(t => Api.IsActive(t) && Api.Int(t, "connectorId") == 1),
            "an active transaction of CP1 on connector 1",
            rig.All);
        var tx = Assert.Single(Api.Transactions(transactions, "CP1"));
        Assert.Equal("DEMO-TAG-1", Api.String(tx, "idTag"));
        Assert.Equal("Accepted", Api.String(tx, "idTagStatus"));
        var transactionId = Api.Int(tx, "transactionId");
        await rig.Api.WaitForConnectorStatusAsync("CP1", 1, "Charging", rig.All);

        await charger.SendLineAsync("swipe DEMO-TAG-1");
        transactions = await rig.Api.WaitForTransactionsAsync(
            l => Api.Transactions(l, "CP1").Any(t => Api.Int(t, "transactionId") == transactionId && !Api.IsActive(t)),
            $"transaction {transactionId} of CP1 completed",
            rig.All);
        tx = Assert.Single(Api.Transactions(transactions, "CP1"));
        Assert.Equal("Local", Api.String(tx, "stopReason"));
        Assert.True(Api.Int(tx, "meterStop") >= Api.Int(tx, "meterStart"), tx.GetRawText());
        await rig.Api.WaitForConnectorStatusAsync("CP1", 1, "Finishing", rig.All); // stopped, cable still plugged

        await charger.SendLineAsync("unplug 1");
        await rig.Api.WaitForConnectorStatusAsync("CP1", 1, "Available", rig.All);
    }
}

/// <summary>fault N / clearfault N.</summary>
public sealed class DcChargerFaultTests
{
    [Fact]
    public async Task Fault_2_reports_Faulted_and_clearfault_2_reports_Available()
    {
        await using var rig = await Rig.StartAsync();
        var charger = await rig.StartConnectedChargerAsync("CP1");

        await charger.SendLineAsync("fault 2");
        var list = await rig.Api.WaitForConnectorStatusAsync("CP1", 2, "Faulted", rig.All);
        var connector2 = Api.ChargePoint(list, "CP1")!.Value.GetProperty("connectors").EnumerateArray().Single(c => c.GetProperty("connectorId").GetInt32() == 2);
        Assert.NotEqual("NoError", Api.String(connector2, "errorCode"));
        Assert.Equal("Available", Api.ConnectorStatus(Api.ChargePoint(list, "CP1")!.Value, 1));

        await charger.SendLineAsync("clearfault 2");
        list = await rig.Api.WaitForConnectorStatusAsync("CP1", 2, "Available", rig.All);
        connector2 = Api.ChargePoint(list, "CP1")!.Value.GetProperty("connectors").EnumerateArray().Single(c => c.GetProperty("connectorId").GetInt32() == 2);
        Assert.Equal("NoError", Api.String(connector2, "errorCode"));
    }
}

/// <summary>A Blocked tag starts nothing; an Accepted tag afterwards does.</summary>
public sealed class DcChargerBlockedTagTests
{
    [Fact]
    public async Task Swipe_BLOCKED_TAG_on_plugged_connector_starts_no_transaction()
    {
        await using var rig = await Rig.StartAsync();
        var charger = await rig.StartConnectedChargerAsync("CP1");

        await charger.SendLineAsync("plug 1");
        await rig.Api.WaitForConnectorStatusAsync("CP1", 1, "Preparing", rig.All);
        await charger.SendLineAsync("swipe BLOCKED-TAG");

        // The charger asks the CSMS (Authorize → Blocked); give it time to (wrongly) start a transaction too.
        await rig.Csms.WaitForLineAsync(
            l => l.Contains("CP1", StringComparison.Ordinal) && l.Contains("Authorize", StringComparison.Ordinal) && l.Contains("Blocked", StringComparison.Ordinal),
            "CP1's Authorize answered Blocked",
            TimeSpan.FromSeconds(15),
            charger);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var transactions = await rig.Api.TransactionsAsync();
        Assert.Empty(Api.Transactions(transactions, "CP1"));
        var list = await rig.Api.ChargePointsAsync();
        Assert.NotEqual("Charging", Api.ConnectorStatus(Api.ChargePoint(list, "CP1")!.Value, 1));

        // The connector is still usable: an Accepted tag starts a transaction.
        await charger.SendLineAsync("swipe DEMO-TAG-1");
        transactions = await rig.Api.WaitForTransactionsAsync(
            l => Api.Transactions(l, "CP1").Any(t => Api.IsActive(t) && Api.Int(t, "connectorId") == 1),
            "an active transaction of CP1 on connector 1 after swiping DEMO-TAG-1",
            rig.All);
        Assert.Equal("DEMO-TAG-1", Api.String(Assert.Single(Api.Transactions(transactions, "CP1")), "idTag"));
    }
}

/// <summary>quit ends the process with exit code 0 and the CSMS stops listing it.</summary>
public sealed class DcChargerQuitTests
{
    [Fact]
    public async Task Quit_exits_with_code_0_and_the_charge_point_disconnects()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "ocpp16-samples-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var rig = await Rig.StartAsync();
            var charger = await rig.StartConnectedChargerAsync("CP1", "--data-dir", dataDir);
            Assert.True(Directory.Exists(dataDir), $"--data-dir {dataDir} was not created. {charger}");

            await charger.SendLineAsync("quit");
            var exitCode = await charger.WaitForExitAsync(TimeSpan.FromSeconds(20));
            Assert.True(exitCode.HasValue, $"DcCharger did not exit within 20 s of 'quit'. {charger}");
            Assert.True(exitCode == 0, $"DcCharger exited with {exitCode}. {charger}");

            await rig.Api.WaitForChargePointsAsync(l => Api.ChargePoint(l, "CP1") is null, "CP1 no longer listed after quit", rig.All);
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }
}

/// <summary>Configuration changed by the CSMS survives a restart of DcCharger on the same --data-dir.</summary>
public sealed class DcChargerRestartTests
{
    [Fact]
    public async Task ChangeConfiguration_survives_quit_and_restart_with_the_same_data_dir()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "ocpp16-samples-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using var rig = await Rig.StartAsync();
            var charger = await rig.StartConnectedChargerAsync("CP1", "--data-dir", dataDir);
            var (status, body, text) = await rig.Api.PostCommandAsync("CP1", "ChangeConfiguration", """{"key":"MeterValueSampleInterval","value":"17"}""");
            Assert.True(status == System.Net.HttpStatusCode.OK, $"{(int)status}: {text}");
            Assert.Equal("Accepted", Api.String(body!.Value, "status"));

            await charger.SendLineAsync("quit");
            Assert.True(await charger.WaitForExitAsync(TimeSpan.FromSeconds(20)) == 0, $"DcCharger did not exit with 0 after 'quit'. {charger}");
            await rig.Api.WaitForChargePointsAsync(l => Api.ChargePoint(l, "CP1") is null, "CP1 no longer listed after quit", rig.All);

            var restarted = await rig.StartConnectedChargerAsync("CP1", "--data-dir", dataDir);
            (status, body, text) = await rig.Api.PostCommandAsync("CP1", "GetConfiguration", """{"key":["MeterValueSampleInterval"]}""");
            Assert.True(status == System.Net.HttpStatusCode.OK, $"{(int)status}: {text}");
            var key = Assert.Single(body!.Value.GetProperty("configurationKey").EnumerateArray());
            Assert.True(Api.String(key, "value") == "17", $"MeterValueSampleInterval after restart: {text}. {restarted}");
        }
        finally
        {
            if (Directory.Exists(dataDir))
            {
                Directory.Delete(dataDir, recursive: true);
            }
        }
    }
}

/// <summary>A bad command is reported and the charger keeps working.</summary>
public sealed class DcChargerBadCommandTests
{
    [Fact]
    public async Task Unknown_command_and_bad_connector_do_not_stop_the_charger()
    {
        await using var rig = await Rig.StartAsync();
        var charger = await rig.StartConnectedChargerAsync("CP1");

        await charger.SendLineAsync("dance");
        await charger.SendLineAsync("plug 3");
        await charger.SendLineAsync("plug 2");
        await rig.Api.WaitForConnectorStatusAsync("CP1", 2, "Preparing", rig.All);
        Assert.False(charger.HasExited, charger.ToString());
        var list = await rig.Api.ChargePointsAsync();
        Assert.Equal(JsonValueKind.Object, Api.ChargePoint(list, "CP1")!.Value.ValueKind);
        Assert.Null(Api.ConnectorStatus(Api.ChargePoint(list, "CP1")!.Value, 3));
    }
}

/// <summary>GET /api/chargepoints reports the last heartbeat.</summary>
public sealed class DcChargerHeartbeatTests
{
    [Fact]
    public async Task Heartbeats_at_the_interval_the_CSMS_configures_show_as_lastHeartbeat()
    {
        await using var rig = await Rig.StartAsync("--Csms:HeartbeatInterval=1");
        await rig.StartConnectedChargerAsync("CP1");

        var list = await rig.Api.WaitForChargePointsAsync(
            l => Api.ChargePoint(l, "CP1") is { } cp && Api.String(cp, "lastHeartbeat") is not null,
            "CP1 with a lastHeartbeat (HeartbeatInterval 1 s)",
            rig.All);
        var cp = Api.ChargePoint(list, "CP1")!.Value;
        var lastHeartbeat = DateTimeOffset.Parse(Api.String(cp, "lastHeartbeat")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lastHeartbeat, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.False(string.IsNullOrEmpty(Api.String(cp, "connectedAt")), cp.GetRawText());
    }
}

/// <summary>"swipe TAG starts or stops a transaction as a real charger does": the other orders of events.</summary>
public sealed class DcChargerRealChargerTests
{
    [Fact]
    public async Task Swipe_then_plug_starts_a_transaction_on_the_plugged_connector()
    {
        await using var rig = await Rig.StartAsync();
        var charger = await rig.StartConnectedChargerAsync("CP1");

        await charger.SendLineAsync("swipe DEMO-TAG-1");
        await rig.Csms.WaitForLineAsync(
            l => l.Contains("CP1", StringComparison.Ordinal) && l.Contains("Authorize", StringComparison.Ordinal) && l.Contains("Accepted", StringComparison.Ordinal),
            "CP1's Authorize answered Accepted",
            TimeSpan.FromSeconds(15),
            charger);
        await charger.SendLineAsync("plug 2");

        var transactions = await rig.Api.WaitForTransactionsAsync(
            l => Api.Transactions(l, "CP1").Any(t => Api.IsActive(t) && Api.Int(t, "connectorId") == 2),
            "an active transaction of CP1 on connector 2 (swipe, then plug)",
            rig.All);
        Assert.Equal("DEMO-TAG-1", Api.String(Assert.Single(Api.Transactions(transactions, "CP1")), "idTag"));
        await rig.Api.WaitForConnectorStatusAsync("CP1", 2, "Charging", rig.All);
    }

    [Fact]
    public async Task Unplug_while_charging_stops_the_transaction_with_EVDisconnected()
    {
        await using var rig = await Rig.StartAsync();
        var charger = await rig.StartConnectedChargerAsync("CP1");

        await charger.SendLineAsync("plug 1");
        await charger.SendLineAsync("swipe DEMO-TAG-1");
        await rig.Api.WaitForConnectorStatusAsync("CP1", 1, "Charging", rig.All);
        await charger.SendLineAsync("unplug 1");

        // StopTransactionOnEVSideDisconnect is true on the reference station.
        var transactions = await rig.Api.WaitForTransactionsAsync(
            l => Api.Transactions(l, "CP1").Any(t => !Api.IsActive(t)),
            "CP1's transaction stopped after unplugging while charging",
            rig.All);
        var tx = Assert.Single(Api.Transactions(transactions, "CP1"));
        Assert.Equal("EVDisconnected", Api.String(tx, "stopReason"));
        await rig.Api.WaitForConnectorStatusAsync("CP1", 1, "Available", rig.All);
    }
}

/// <summary>status and help; configuration from environment variables (generic host).</summary>
public sealed class DcChargerStatusTests
{
    [Fact]
    public async Task Status_shows_connection_connectors_and_the_running_transaction_and_help_lists_the_commands()
    {
        await using var rig = await Rig.StartAsync();
        var charger = await rig.StartConnectedChargerAsync("CP1");
        await charger.SendLineAsync("plug 2");
        await charger.SendLineAsync("swipe DEMO-TAG-2");
        await rig.Api.WaitForConnectorStatusAsync("CP1", 2, "Charging", rig.All);

        await charger.SendLineAsync("status");
        await charger.WaitForOutputAsync("status: connection Connected, registration Accepted, connector 0 Available", TimeSpan.FromSeconds(10));
        await charger.WaitForLineAsync(l => l.Contains("status: connector 2 Charging (NoError), plugged, transaction ", StringComparison.Ordinal) && !l.Contains("pending", StringComparison.Ordinal), "connector 2 charging with its transaction id", TimeSpan.FromSeconds(10));
        await charger.WaitForOutputAsync("status: connector 1 Available (NoError), unplugged, no transaction", TimeSpan.FromSeconds(10));

        await charger.SendLineAsync("help");
        await charger.WaitForLineAsync(l => l.Contains("commands: plug N | unplug N | swipe TAG | fault N | clearfault N | status | help | quit", StringComparison.Ordinal) && !l.Contains("started", StringComparison.Ordinal), "the help line", TimeSpan.FromSeconds(10));

        await charger.SendLineAsync("plug 7");
        await charger.WaitForOutputAsync("Connector must be 1 to 2.", TimeSpan.FromSeconds(10));
    }
}

/// <summary>The reference station's profiles and limits, as GetConfiguration of all keys reports them.</summary>
public sealed class DcChargerProfileTests
{
    [Fact]
    public async Task GetConfiguration_of_all_keys_lists_the_keys_of_every_profile_and_of_the_Security_extension_with_the_reference_values()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartConnectedChargerAsync("CP1");

        var (status, body, text) = await rig.Api.PostCommandAsync("CP1", "GetConfiguration", "{}");
        Assert.True(status == System.Net.HttpStatusCode.OK, $"{(int)status}: {text}");
        var keys = body!.Value.GetProperty("configurationKey").EnumerateArray().ToDictionary(k => Api.String(k, "key")!, k => Api.String(k, "value"));
        var expected = new Dictionary<string, string>
        {
            ["SupportedFeatureProfiles"] = "Core,FirmwareManagement,LocalAuthListManagement,Reservation,RemoteTrigger,SmartCharging",
            ["SupportedFileTransferProtocols"] = "FTP,HTTP,HTTPS",
            ["SecurityProfile"] = "0",
            ["CpoName"] = "",
            ["CertificateStoreMaxLength"] = "20",
            ["AdditionalRootCertificateCheck"] = "false",
            ["CertificateSignedMaxChainSize"] = "10000",
            ["CertificateSignedMaxSize"] = "5500",
            ["NumberOfConnectors"] = "2",
            ["GetConfigurationMaxKeys"] = "3",
            ["MeterValuesSampledDataMaxLength"] = "8",
            ["MeterValuesAlignedDataMaxLength"] = "8",
            ["StopTxnSampledDataMaxLength"] = "8",
            ["StopTxnAlignedDataMaxLength"] = "8",
            ["WebSocketPingInterval"] = "0",
            ["LocalAuthListEnabled"] = "true",
            ["LocalAuthListMaxLength"] = "100000",
            ["SendLocalListMaxLength"] = "100",
            ["ReserveConnectorZeroSupported"] = "false",
            ["ChargeProfileMaxStackLevel"] = "5",
            ["ChargingScheduleAllowedChargingRateUnit"] = "Current",
            ["ChargingScheduleMaxPeriods"] = "24",
            ["MaxChargingProfilesInstalled"] = "20",
        };
        foreach (var (key, value) in expected)
        {
            Assert.True(keys.TryGetValue(key, out var actual) && actual == value, $"{key}: expected {value}, got {actual ?? "(absent)"}. {text}");
        }

        Assert.False(keys.ContainsKey("AuthorizationKey"), "AuthorizationKey is write-only");

        // The Security extension answers: no certificate installed yet.
        (status, body, text) = await rig.Api.PostCommandAsync("CP1", "GetInstalledCertificateIds", """{"certificateType":"CentralSystemRootCertificate"}""");
        Assert.True(status == System.Net.HttpStatusCode.OK && Api.String(body!.Value, "status") == "NotFound", text);

        // The profiles answer: the list is empty, connector 0 cannot be reserved, the composite is in A.
        (status, body, text) = await rig.Api.PostCommandAsync("CP1", "GetLocalListVersion", "{}");
        Assert.True(status == System.Net.HttpStatusCode.OK && body!.Value.GetProperty("listVersion").GetInt32() == 0, text);
        (status, body, text) = await rig.Api.PostCommandAsync("CP1", "ReserveNow", """{"connectorId":0,"expiryDate":"2099-01-01T00:00:00Z","idTag":"T","reservationId":1}""");
        Assert.True(status == System.Net.HttpStatusCode.OK && Api.String(body!.Value, "status") == "Rejected", text);
        (status, body, text) = await rig.Api.PostCommandAsync("CP1", "GetCompositeSchedule", """{"connectorId":1,"duration":60}""");
        Assert.True(status == System.Net.HttpStatusCode.OK && Api.String(body!.Value, "status") == "Accepted", text);
        Assert.Equal("A", Api.String(body!.Value.GetProperty("chargingSchedule"), "chargingRateUnit"));
    }

    [Fact]
    public async Task ChangeConfiguration_outside_the_reference_ranges_HeartbeatInterval_0_to_60_and_MeterValueSampleInterval_0_to_300_is_Rejected()
    {
        await using var rig = await Rig.StartAsync();
        await rig.StartConnectedChargerAsync("CP1");
        async Task<string?> ChangeAsync(string key, string value)
        {
            var (status, body, text) = await rig.Api.PostCommandAsync("CP1", "ChangeConfiguration", $$"""{"key":"{{key}}","value":"{{value}}"}""");
            Assert.True(status == System.Net.HttpStatusCode.OK, $"{(int)status}: {text}");
            return Api.String(body!.Value, "status");
        }

        Assert.Equal("Rejected", await ChangeAsync("HeartbeatInterval", "120"));
        Assert.Equal("Accepted", await ChangeAsync("HeartbeatInterval", "30"));
        Assert.Equal("Rejected", await ChangeAsync("MeterValueSampleInterval", "301"));
        Assert.Equal("Accepted", await ChangeAsync("MeterValueSampleInterval", "300"));

        var (_, config, configText) = await rig.Api.PostCommandAsync("CP1", "GetConfiguration", """{"key":["HeartbeatInterval","MeterValueSampleInterval"]}""");
        var values = config!.Value.GetProperty("configurationKey").EnumerateArray().ToDictionary(k => Api.String(k, "key")!, k => Api.String(k, "value"));
        Assert.True(values["HeartbeatInterval"] == "30" && values["MeterValueSampleInterval"] == "300", configText);
    }
}
