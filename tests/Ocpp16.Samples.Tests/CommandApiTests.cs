using System.Net;
using System.Text.Json;

namespace Ocpp16.Samples.Tests;

/// <summary>MinimalCsms with DcCharger CP1 connected, shared by the command API tests.</summary>
public sealed class ConnectedChargerFixture : IAsyncLifetime
{
    private Rig? _rig;

    internal Rig Rig => _rig ?? throw new InvalidOperationException("Not started.");

    internal SampleProcess Charger { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _rig = await Rig.StartAsync();
        Charger = await _rig.StartConnectedChargerAsync("CP1");
    }

    public async Task DisposeAsync()
    {
        if (_rig is not null)
        {
            await _rig.DisposeAsync();
        }
    }
}

/// <summary>
/// Contract: POST /api/chargepoints/{id}/commands/{Action} with the OCPP request payload → 200 with the charge point's
/// response payload; 404 if not connected; 400 (with the violation) if the body violates the schema; 502 with the
/// error code if the charge point answers CALLERROR.
/// </summary>
public sealed class CommandApiTests(ConnectedChargerFixture fixture) : IClassFixture<ConnectedChargerFixture>
{
    private CsmsClient Client => fixture.Rig.Api;

    [Fact]
    public async Task GetConfiguration_returns_known_keys_and_unknown_keys()
    {
        var (status, body, text) = await Client.PostCommandAsync("CP1", "GetConfiguration", """{"key":["HeartbeatInterval","Nope"]}""");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
        var json = body!.Value;
        var key = Assert.Single(json.GetProperty("configurationKey").EnumerateArray());
        Assert.Equal("HeartbeatInterval", Api.String(key, "key"));
        Assert.Equal(JsonValueKind.String, key.GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.False, key.GetProperty("readonly").ValueKind);
        Assert.Equal(["Nope"], json.GetProperty("unknownKey").EnumerateArray().Select(k => k.GetString()));
    }

    [Fact]
    public async Task GetConfiguration_without_keys_returns_the_Core_configuration()
    {
        var (status, body, text) = await Client.PostCommandAsync("CP1", "GetConfiguration", "{}");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
        var keys = body!.Value.GetProperty("configurationKey").EnumerateArray().Select(k => Api.String(k, "key")).ToHashSet();
        Assert.Contains("HeartbeatInterval", keys);
        Assert.Contains("MeterValueSampleInterval", keys);
        Assert.Contains("MeterValuesSampledData", keys);
        Assert.Contains("NumberOfConnectors", keys);
    }

    [Fact]
    public async Task MeterValuesSampledData_lists_the_reference_stations_measurands()
    {
        var (status, body, text) = await Client.PostCommandAsync("CP1", "GetConfiguration", """{"key":["MeterValuesSampledData"]}""");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
        var value = Api.String(Assert.Single(body!.Value.GetProperty("configurationKey").EnumerateArray()), "value")!;
        var measurands = value.Split(',', StringSplitOptions.TrimEntries);
        Assert.Contains("Energy.Active.Import.Register", measurands);
        Assert.Contains("Power.Active.Import", measurands);
        Assert.Contains("Current.Offered", measurands);
        Assert.Contains("Power.Offered", measurands);
        Assert.Contains("SoC", measurands);
    }

    /// <summary>
    /// OCPP 1.6 §9.1 MeterValueSampleInterval: samples are transmitted at this interval from the start of the
    /// transaction; an Accepted ChangeConfiguration takes effect (DcCharger starts with 30 s).
    /// </summary>
    [Fact]
    public async Task Transaction_sends_MeterValues_at_a_changed_MeterValueSampleInterval_from_its_start()
    {
        var (status, body, text) = await Client.PostCommandAsync("CP1", "ChangeConfiguration", """{"key":"MeterValueSampleInterval","value":"1"}""");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
        Assert.Equal("Accepted", Api.String(body!.Value, "status"));

        await fixture.Charger.SendLineAsync("plug 2");
        await fixture.Charger.SendLineAsync("swipe DEMO-TAG-2");
        await Client.WaitForTransactionsAsync(
            l => Api.Transactions(l, "CP1").Any(t => Api.IsActive(t) && Api.Int(t, "connectorId") == 2),
            "an active transaction of CP1 on connector 2",
            fixture.Rig.All);
        var transactions = await Client.WaitForAsync(
            "/api/transactions",
            l => Api.Transactions(l, "CP1").Any(t => Api.IsActive(t) && Api.Int(t, "connectorId") == 2 && Api.Int(t, "meterValuesCount") >= 2),
            TimeSpan.FromSeconds(10),
            "at least two MeterValues within 10 s of the start of the transaction on connector 2 (MeterValueSampleInterval 1 s)",
            fixture.Rig.All);
        var tx = Api.Transactions(transactions, "CP1").Single(t => Api.IsActive(t) && Api.Int(t, "connectorId") == 2);
        Assert.Equal("DEMO-TAG-2", Api.String(tx, "idTag"));
        Assert.True(tx.TryGetProperty("lastMeterValueWh", out var last) && last.GetDecimal() >= Api.Int(tx, "meterStart"), tx.GetRawText());
    }

    [Fact]
    public async Task ChangeConfiguration_HeartbeatInterval_is_Accepted_and_visible()
    {
        var (status, body, text) = await Client.PostCommandAsync("CP1", "ChangeConfiguration", """{"key":"HeartbeatInterval","value":"30"}""");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
        Assert.Equal("Accepted", Api.String(body!.Value, "status"));

        (status, body, text) = await Client.PostCommandAsync("CP1", "GetConfiguration", """{"key":["HeartbeatInterval"]}""");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
        Assert.Equal("30", Api.String(Assert.Single(body!.Value.GetProperty("configurationKey").EnumerateArray()), "value"));
    }

    [Fact]
    public async Task Command_to_a_charge_point_that_is_not_connected_is_404()
    {
        var (status, _, text) = await Client.PostCommandAsync("NOT-CONNECTED", "GetConfiguration", "{}");

        Assert.True(status == HttpStatusCode.NotFound, $"{(int)status}: {text}");
    }

    [Theory]
    [InlineData("""{"key":123,"value":"30"}""", "TypeConstraintViolation")]
    [InlineData("""{"key":"HeartbeatInterval"}""", "OccurenceConstraintViolation")]
    [InlineData("{}", "OccurenceConstraintViolation")]
    [InlineData("""{"key":"HeartbeatInterval","value":"30","extra":1}""", null)]
    [InlineData("""{"key":"ThisKeyIsLongerThanTheFiftyCharactersTheSchemaAllowsForKeys","value":"30"}""", null)]
    public async Task Body_violating_the_schema_is_400_with_the_violation(string body, string? expectedErrorCode)
    {
        var (status, json, text) = await Client.PostCommandAsync("CP1", "ChangeConfiguration", body);

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {text}");
        Assert.True(json is { ValueKind: JsonValueKind.Object }, text);
        var errorCode = Api.String(json!.Value, "errorCode");
        Assert.False(string.IsNullOrEmpty(errorCode), text);
        if (expectedErrorCode is not null)
        {
            Assert.Equal(expectedErrorCode, errorCode);
        }
    }

    [Fact]
    public async Task Body_that_is_not_json_is_400()
    {
        var (status, _, text) = await Client.PostCommandAsync("CP1", "ChangeConfiguration", "not json");

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {text}");
    }

    [Fact]
    public async Task RemoteStartTransaction_on_a_plugged_connector_is_Accepted_and_starts_a_transaction()
    {
        await fixture.Charger.SendLineAsync("plug 1");
        await Client.WaitForConnectorStatusAsync("CP1", 1, "Preparing", fixture.Rig.All);

        var (status, body, text) = await Client.PostCommandAsync("CP1", "RemoteStartTransaction", """{"idTag":"DEMO-TAG-1","connectorId":1}""");

        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
        Assert.Equal("Accepted", Api.String(body!.Value, "status"));
        var transactions = await Client.WaitForTransactionsAsync(
            l => Api.Transactions(l, "CP1").Any(t => Api.IsActive(t) && Api.Int(t, "connectorId") == 1),
            "an active transaction of CP1 on connector 1 after RemoteStartTransaction",
            fixture.Rig.All);
        var tx = Api.Transactions(transactions, "CP1").Single(t => Api.IsActive(t) && Api.Int(t, "connectorId") == 1);
        Assert.Equal("DEMO-TAG-1", Api.String(tx, "idTag"));
        await Client.WaitForConnectorStatusAsync("CP1", 1, "Charging", fixture.Rig.All);
    }

    [Fact]
    public async Task Action_the_charge_point_does_not_support_is_502_with_NotSupported()
    {
        // DcCharger runs every profile; this one is started without Firmware Management (index 1 of the FeatureProfiles
        // list in its appsettings.json) and the Security extension (index 6).
        await fixture.Rig.StartConnectedChargerAsync("CP-NOFW", "--ChargePoint:FeatureProfiles:1=Core", "--ChargePoint:FeatureProfiles:6=Core");
        var (status, body, text) = await Client.PostCommandAsync("CP-NOFW", "GetDiagnostics", """{"location":"ftp://example.com/logs/"}""");

        Assert.True(status == HttpStatusCode.BadGateway, $"{(int)status}: {text}");
        Assert.Equal("NotSupported", Api.String(body!.Value, "errorCode"));
    }

    [Theory]
    [InlineData("Foo")]
    [InlineData("BootNotification")]
    public async Task Unknown_action_or_one_the_CSMS_does_not_send_is_400(string action)
    {
        var (status, _, text) = await Client.PostCommandAsync("CP1", action, "{}");

        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status}: {text}");
    }
}
