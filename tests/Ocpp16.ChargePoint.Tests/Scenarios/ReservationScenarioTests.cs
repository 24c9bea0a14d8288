using Ocpp16.ChargePoint.Features.Reservation;
using Ocpp16.ChargePoint.Tests.Support;
using Ocpp16.Messages;

namespace Ocpp16.ChargePoint.Tests.Scenarios;

/// <summary>
/// Reservation (OCPP 1.6 §5.1, §5.13) after the OCA test tool's charge point cases TC_046 to TC_053, on virtual time:
/// ReserveNow's answers, Reserved, who may use a reserved connector, reservationId in StartTransaction, expiry,
/// cancellation, replacement, connector 0 and persistence across restarts.
/// </summary>
public sealed class ReservationScenarioTests
{
    private static ReserveNowRequest Reserve(Rig rig, int reservationId, int connectorId, string idTag, int expirySeconds = 3600, string? parentIdTag = null)
        => new() { ReservationId = reservationId, ConnectorId = connectorId, IdTag = idTag, ParentIdTag = parentIdTag, ExpiryDate = rig.Time.GetUtcNow().AddSeconds(expirySeconds) };

    private static async Task<ReservationStatus> ReserveAsync(Rig rig, int reservationId, int connectorId, string idTag, int expirySeconds = 3600, string? parentIdTag = null)
        => (await rig.Cs.CallAsync(Reserve(rig, reservationId, connectorId, idTag, expirySeconds, parentIdTag))).Status;

    private static IReadOnlyCollection<ReservationRecord> Reservations(Rig rig) => rig.ChargePoint.Engine.Modules.OfType<ReservationProfile>().Single().Reservations;

    private static async Task MakeUnavailableAsync(Rig rig, int connectorId)
    {
        Assert.Equal(AvailabilityStatus.Accepted, (await rig.Cs.CallAsync(new ChangeAvailabilityRequest { ConnectorId = connectorId, Type = AvailabilityType.Inoperative })).Status);
        await rig.SettleAsync();
    }

    [Fact]
    public async Task TC_046_1_CS_ReservationOfAConnector_LocalStart_OnlyTheReservedIdTagCharges()
    {
        await using var rig = await Rig.StartAsync();
        await MakeUnavailableAsync(rig, 2); // "SetConnectorUnavailable for all unused connectors"
        var from = rig.Cs.Calls.Count;
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 101, 1, "RESERVED-TAG"));
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:Reserved"], rig.Trace(from));

        // Another card: not even authorized.
        rig.Hardware.RfidReader.Present("OTHER-TAG");
        await rig.SettleAsync();
        Assert.Empty(rig.Cs.CallsOf("Authorize"));
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));

        // The reserved card: authorized, Preparing, and the transaction carries the reservationId.
        from = rig.Cs.Calls.Count;
        rig.Hardware.RfidReader.Present("RESERVED-TAG");
        await rig.SettleAsync();
        Assert.Equal(["Authorize", "StatusNotification:1:Preparing"], rig.Trace(from));
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        Assert.Equal(["StartTransaction", "StatusNotification:1:Charging"], rig.Trace(from + 2));
        var start = rig.Cs.CallsOf("StartTransaction").Single();
        Assert.Equal("RESERVED-TAG", start.Str("idTag"));
        Assert.Equal(101, start.Int("reservationId"));
        Assert.Empty(Reservations(rig));
    }

    [Fact]
    public async Task TC_046_1_CS_ReservationOfAConnector_PlugFirst_StaysReservedUntilTheReservedIdTagIsPresented()
    {
        await using var rig = await Rig.StartAsync();
        await MakeUnavailableAsync(rig, 2);
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 111, 1, "RESERVED-TAG"));
        await rig.SettleAsync();

        // The EV first: the connector stays Reserved (§4.9: from Reserved only G1, G2, G8, G9), nothing on the wire.
        var from = rig.Cs.Calls.Count;
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        Assert.Empty(rig.Trace(from));
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));

        // Another card: not authorized, still Reserved.
        rig.Hardware.RfidReader.Present("OTHER-TAG");
        await rig.SettleAsync();
        Assert.Empty(rig.Trace(from));
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));

        // The reserved card: Preparing (G2), then the transaction with the reservationId (B3).
        rig.Hardware.RfidReader.Present("RESERVED-TAG");
        await rig.SettleAsync();
        Assert.Equal(["Authorize", "StatusNotification:1:Preparing", "StartTransaction", "StatusNotification:1:Charging"], rig.Trace(from));
        var start = rig.Cs.CallsOf("StartTransaction").Single();
        Assert.Equal("RESERVED-TAG", start.Str("idTag"));
        Assert.Equal(111, start.Int("reservationId"));
        Assert.Empty(Reservations(rig));
    }

    [Fact]
    public async Task TC_046_2_CS_ReservationOfAConnector_RemoteStart_PlugFirst_GoesThroughPreparing()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 112, 1, "RESERVED-TAG"));
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));

        // Another IdTag for the reserved connector is Rejected and changes nothing.
        var from = rig.Cs.Calls.Count;
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "OTHER-TAG", ConnectorId = 1 })).Status);
        await rig.SettleAsync();
        Assert.Empty(rig.Trace(from));

        Assert.Equal(RemoteStartStopStatus.Accepted, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "RESERVED-TAG", ConnectorId = 1 })).Status);
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:Preparing", "StartTransaction", "StatusNotification:1:Charging"], rig.Trace(from));
        Assert.Equal(112, rig.Cs.CallsOf("StartTransaction").Single().Int("reservationId"));
    }

    [Fact]
    public async Task TC_046_2_CS_ReservationOfAConnector_RemoteStart_OtherIdTagsAreRejected()
    {
        await using var rig = await Rig.StartAsync();
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 102, 1, "RESERVED-TAG"));
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "OTHER-TAG", ConnectorId = 1 })).Status);

        // Without a connectorId another IdTag gets the free connector 2.
        rig.Hardware.Connector(2).Plug();
        Assert.Equal(RemoteStartStopStatus.Accepted, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "OTHER-TAG" })).Status);
        await rig.SettleAsync();
        Assert.Equal(2, rig.Cs.CallsOf("StartTransaction").Single().Int("connectorId"));
        Assert.False(rig.Cs.CallsOf("StartTransaction").Single().Has("reservationId"));

        rig.Hardware.Connector(1).Plug();
        Assert.Equal(RemoteStartStopStatus.Accepted, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "RESERVED-TAG", ConnectorId = 1 })).Status);
        await rig.SettleAsync();
        var start = rig.Cs.CallsOf("StartTransaction").Single(c => c.Int("connectorId") == 1);
        Assert.Equal(102, start.Int("reservationId"));
        Assert.Equal(ChargePointStatus.Charging, rig.ChargePoint.GetConnectorStatus(1));
    }

    [Fact]
    public async Task TC_047_CS_ReservationOfAConnector_Expire_BackToAvailable_ThenAnyoneCharges()
    {
        await using var rig = await Rig.StartAsync();
        await MakeUnavailableAsync(rig, 2);
        var from = rig.Cs.Calls.Count;
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 103, 1, "RESERVED-TAG", expirySeconds: 60));
        await rig.AdvanceAsync(59);
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));
        await rig.AdvanceAsync(1);
        Assert.Equal(["StatusNotification:1:Reserved", "StatusNotification:1:Available"], rig.Trace(from).Where(a => a.StartsWith("StatusNotification", StringComparison.Ordinal)));
        Assert.Empty(Reservations(rig));

        await rig.StartTransactionAsync("OTHER-TAG", 1);
        Assert.False(rig.Cs.CallsOf("StartTransaction").Single().Has("reservationId"));
    }

    [Fact]
    public async Task TC_048_1_To_4_CS_ReservationOfAConnector_Faulted_Occupied_Unavailable_Rejected()
    {
        await using var rig = await Rig.StartAsync();

        // TC_048_1 Faulted.
        rig.Hardware.Connector(1).Fault();
        await rig.SettleAsync();
        Assert.Equal(ReservationStatus.Faulted, await ReserveAsync(rig, 1, 1, "T"));
        rig.Hardware.Connector(1).ClearFault();
        await rig.SettleAsync();

        // TC_048_2 Occupied: a transaction, an EV plugged in, or another reservation.
        await rig.StartTransactionAsync("TX-TAG", 1);
        Assert.Equal(ReservationStatus.Occupied, await ReserveAsync(rig, 2, 1, "T"));
        rig.Hardware.Connector(2).Plug();
        await rig.SettleAsync();
        Assert.Equal(ReservationStatus.Occupied, await ReserveAsync(rig, 3, 2, "T"));
        rig.Hardware.Connector(2).Unplug();
        await rig.SettleAsync();
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 4, 2, "T"));
        Assert.Equal(ReservationStatus.Occupied, await ReserveAsync(rig, 5, 2, "U"));

        // TC_048_3 Unavailable (the connector, or the station).
        await rig.Cs.CallAsync(new CancelReservationRequest { ReservationId = 4 });
        await MakeUnavailableAsync(rig, 2);
        Assert.Equal(ReservationStatus.Unavailable, await ReserveAsync(rig, 6, 2, "T"));

        // TC_048_4 Rejected: connector 0 without ReserveConnectorZeroSupported, a connector that does not exist, a past expiryDate.
        Assert.Equal(ReservationStatus.Rejected, await ReserveAsync(rig, 7, 0, "T"));
        Assert.Equal(ReservationStatus.Rejected, await ReserveAsync(rig, 8, 3, "T"));
        Assert.Equal(ReservationStatus.Rejected, await ReserveAsync(rig, 9, 1, "T", expirySeconds: -1));
        Assert.Empty(Reservations(rig));
        Assert.Empty(rig.Cs.Calls.Where(c => c.IsStatus(1, "Reserved") || c.IsStatus(2, "Reserved")).Skip(1));
    }

    [Fact]
    public async Task TC_048_3_CS_ReservationOfAConnector_OnAnUnavailableStation_IsUnavailable()
    {
        await using var rig = await Rig.StartAsync();
        await MakeUnavailableAsync(rig, 0);

        Assert.Equal(ReservationStatus.Unavailable, await ReserveAsync(rig, 1, 1, "T"));
        Assert.Empty(Reservations(rig));
    }

    [Fact]
    public async Task AReservationExpiringMonthsAhead_IsKept_AndExpiresOnTime()
    {
        // Beyond the ~49.7 days a single timer can wait: the engine's timer re-arms in steps.
        await using var rig = await Rig.StartAsync();
        const int days = 60;
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 1, 1, "LONG-TAG", expirySeconds: days * 86_400));
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));

        await rig.AdvanceAsync(TimeSpan.FromDays(days) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(12));
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Single(Reservations(rig));

        await rig.AdvanceAsync(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(10));
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Empty(Reservations(rig));
    }

    [Fact]
    public async Task TC_049_CS_ReservationOfTheChargePoint_ConnectorZero_KeepsOneConnectorFreeForTheHolder()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["ReserveConnectorZeroSupported"] = "true");
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 201, 0, "HOLDER"));
        await rig.SettleAsync();

        // Two connectors free, one reservation: both Available; another IdTag may take one of them.
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(2));
        await rig.StartTransactionAsync("OTHER", 1);
        Assert.False(rig.Cs.CallsOf("StartTransaction").Single().Has("reservationId"));

        // The last free connector is now held for the holder.
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(2));
        Assert.Contains(rig.Cs.Calls, c => c.IsStatus(2, "Reserved"));
        // An EV plugged in and a tag the reservation does not admit: still Reserved (§4.9 G2), nothing starts.
        rig.Hardware.Connector(2).Plug();
        rig.Hardware.RfidReader.Present("STRANGER");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(2));
        Assert.DoesNotContain(rig.Cs.Calls, c => c.IsStatus(2, "Preparing"));
        Assert.Single(rig.Cs.CallsOf("StartTransaction"));
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "STRANGER", ConnectorId = 2 })).Status);

        // The holder: Preparing, then the transaction with the reservationId.
        var from = rig.Cs.Calls.Count;
        rig.Hardware.RfidReader.Present("HOLDER");
        await rig.SettleAsync();
        Assert.Equal(["Authorize", "StatusNotification:2:Preparing", "StartTransaction", "StatusNotification:2:Charging"], rig.Trace(from));
        var start = rig.Cs.CallsOf("StartTransaction").Single(c => c.Int("connectorId") == 2);
        Assert.Equal("HOLDER", start.Str("idTag"));
        Assert.Equal(201, start.Int("reservationId"));
        Assert.Empty(Reservations(rig));
    }

    [Fact]
    public async Task TC_050_1_To_3_CS_ReservationOfTheChargePoint_Faulted_Occupied_Unavailable()
    {
        await using var rig = await Rig.StartAsync(o => o.Configuration["ReserveConnectorZeroSupported"] = "true");
        rig.Hardware.Connector(1).Fault();
        rig.Hardware.Connector(2).Fault();
        await rig.SettleAsync();
        Assert.Equal(ReservationStatus.Faulted, await ReserveAsync(rig, 1, 0, "T"));
        rig.Hardware.Connector(1).ClearFault();
        rig.Hardware.Connector(2).ClearFault();
        await rig.SettleAsync();

        await rig.StartTransactionAsync("A", 1);
        await rig.StartTransactionAsync("B", 2);
        Assert.Equal(ReservationStatus.Occupied, await ReserveAsync(rig, 2, 0, "T"));
        rig.Hardware.RfidReader.Present("A");
        rig.Hardware.RfidReader.Present("B");
        rig.Hardware.Connector(1).Unplug();
        rig.Hardware.Connector(2).Unplug();
        await rig.SettleAsync();

        // One connector-0 reservation per free connector.
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 3, 0, "T"));
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 4, 0, "U"));
        Assert.Equal(ReservationStatus.Occupied, await ReserveAsync(rig, 5, 0, "V"));
        Assert.Equal(ReservationStatus.Occupied, await ReserveAsync(rig, 6, 1, "V"));
        await rig.Cs.CallAsync(new CancelReservationRequest { ReservationId = 3 });
        await rig.Cs.CallAsync(new CancelReservationRequest { ReservationId = 4 });

        await MakeUnavailableAsync(rig, 0);
        Assert.Equal(ReservationStatus.Unavailable, await ReserveAsync(rig, 7, 0, "T"));
    }

    [Fact]
    public async Task TC_051_CS_CancelReservation_Accepted_BackToAvailable_ThenAnotherIdTagChargesWithoutReservationId()
    {
        await using var rig = await Rig.StartAsync();
        await ReserveAsync(rig, 301, 1, "RESERVED-TAG");
        await rig.SettleAsync();
        var from = rig.Cs.Calls.Count;
        Assert.Equal(CancelReservationStatus.Accepted, (await rig.Cs.CallAsync(new CancelReservationRequest { ReservationId = 301 })).Status);
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:Available"], rig.Trace(from));
        await rig.StartTransactionAsync("OTHER-TAG", 1);
        Assert.False(rig.Cs.CallsOf("StartTransaction").Single().Has("reservationId"));
    }

    [Fact]
    public async Task TC_052_CS_CancelReservation_UnknownReservationId_IsRejected_AndNothingIsCancelled()
    {
        await using var rig = await Rig.StartAsync();
        await ReserveAsync(rig, 401, 1, "RESERVED-TAG");
        Assert.Equal(CancelReservationStatus.Rejected, (await rig.Cs.CallAsync(new CancelReservationRequest { ReservationId = 402 })).Status);
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Single(Reservations(rig));
    }

    [Fact]
    public async Task TC_053_CS_UseAReservedConnectorWithParentIdTag_AnotherTagOfTheGroupCharges()
    {
        await using var rig = await Rig.StartAsync(setup: cs => cs.Answers["Authorize"] = call => FakeCentralSystem.Result(
            call.Str("idTag") == "MEMBER-2" ? "{\"idTagInfo\":{\"status\":\"Accepted\",\"parentIdTag\":\"FLEET\"}}" : "{\"idTagInfo\":{\"status\":\"Accepted\"}}"));
        await MakeUnavailableAsync(rig, 2);
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 501, 1, "MEMBER-1", parentIdTag: "FLEET"));

        // A tag outside the group: authorized (its parentIdTag could match) but refused.
        rig.Hardware.RfidReader.Present("OUTSIDER");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));

        rig.Hardware.RfidReader.Present("MEMBER-2");
        await rig.SettleAsync();
        Assert.Equal(ChargePointStatus.Preparing, rig.ChargePoint.GetConnectorStatus(1));
        rig.Hardware.Connector(1).Plug();
        await rig.SettleAsync();
        var start = rig.Cs.CallsOf("StartTransaction").Single();
        Assert.Equal("MEMBER-2", start.Str("idTag"));
        Assert.Equal(501, start.Int("reservationId"));
    }

    [Fact]
    public async Task TC_053_CS_RemoteStart_OnAConnectorReservedForAGroup_IsDecidedByTheParentIdTag()
    {
        // Without AuthorizeRemoteTxRequests the parentIdTag cannot be learnt: only the reserved IdTag is accepted.
        await using var rig = await Rig.StartAsync();
        await ReserveAsync(rig, 901, 1, "MEMBER-1", parentIdTag: "FLEET");
        Assert.Equal(RemoteStartStopStatus.Rejected, (await rig.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "MEMBER-2", ConnectorId = 1 })).Status);

        // With it, the answer to Authorize decides: a member of the group starts with the reservationId, another tag does not start.
        await using var authorizing = await Rig.StartAsync(
            o => o.Configuration["AuthorizeRemoteTxRequests"] = "true",
            cs => cs.Answers["Authorize"] = call => FakeCentralSystem.Result(call.Str("idTag") == "MEMBER-2" ? "{\"idTagInfo\":{\"status\":\"Accepted\",\"parentIdTag\":\"FLEET\"}}" : "{\"idTagInfo\":{\"status\":\"Accepted\"}}"));
        await ReserveAsync(authorizing, 902, 1, "MEMBER-1", parentIdTag: "FLEET");
        authorizing.Hardware.Connector(1).Plug();
        Assert.Equal(RemoteStartStopStatus.Accepted, (await authorizing.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "OUTSIDER", ConnectorId = 1 })).Status);
        await authorizing.SettleAsync();
        Assert.Empty(authorizing.Cs.CallsOf("StartTransaction"));
        Assert.Equal(RemoteStartStopStatus.Accepted, (await authorizing.Cs.CallAsync(new RemoteStartTransactionRequest { IdTag = "MEMBER-2", ConnectorId = 1 })).Status);
        await authorizing.SettleAsync();
        Assert.Equal(902, authorizing.Cs.CallsOf("StartTransaction").Single().Int("reservationId"));
    }

    [Fact]
    public async Task ReserveNow_WithTheSameReservationId_ReplacesTheReservation()
    {
        await using var rig = await Rig.StartAsync();
        await ReserveAsync(rig, 601, 1, "FIRST");
        await rig.SettleAsync();
        var from = rig.Cs.Calls.Count;
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 601, 2, "SECOND"));
        await rig.SettleAsync();
        Assert.Equal(["StatusNotification:1:Available", "StatusNotification:2:Reserved"], rig.Trace(from).Order());
        var reservation = Assert.Single(Reservations(rig));
        Assert.Equal(("SECOND", 2), (reservation.IdTag, reservation.ConnectorId));

        // Replacing on the same connector (a new expiry) is not Occupied by itself.
        Assert.Equal(ReservationStatus.Accepted, await ReserveAsync(rig, 601, 2, "SECOND", expirySeconds: 60));
        await rig.AdvanceAsync(60);
        Assert.Empty(Reservations(rig));
    }

    [Fact]
    public async Task AReservedConnectorThatBecomesFaultedOrUnavailable_EndsTheReservation()
    {
        await using var rig = await Rig.StartAsync();
        await ReserveAsync(rig, 701, 1, "T");
        await ReserveAsync(rig, 702, 2, "U");
        rig.Hardware.Connector(1).Fault();
        await MakeUnavailableAsync(rig, 2);
        rig.Hardware.Connector(1).ClearFault();
        await rig.SettleAsync();
        Assert.Empty(Reservations(rig));
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(1));
    }

    [Fact]
    public async Task Reservations_SurviveARestart_AndTheirExpiryIsHonouredAfterIt()
    {
        await using var rig = await Rig.StartAsync();
        await ReserveAsync(rig, 801, 1, "LONG", expirySeconds: 600, parentIdTag: "P");
        await ReserveAsync(rig, 802, 2, "SHORT", expirySeconds: 30);
        await rig.RestartAsync();
        Assert.Equal(2, Reservations(rig).Count);
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Equal(ChargePointStatus.Reserved, rig.ChargePoint.GetConnectorStatus(2));
        Assert.Equal("P", Reservations(rig).Single(r => r.ReservationId == 801).ParentIdTag);

        await rig.AdvanceAsync(30);
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(2));
        Assert.Equal([801], Reservations(rig).Select(r => r.ReservationId));

        // Down past the expiry: ended at the start, never reported Reserved again, and gone from the storage.
        await rig.RestartAsync(beforeStart: () => rig.Time.Advance(TimeSpan.FromMinutes(10)));
        Assert.Empty(Reservations(rig));
        Assert.Equal(ChargePointStatus.Available, rig.ChargePoint.GetConnectorStatus(1));
        Assert.Empty(rig.Storage.Load(ReservationProfile.Collection));
    }
}
