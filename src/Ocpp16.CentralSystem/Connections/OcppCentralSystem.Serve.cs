using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Ocpp16.Transport;
using Ocpp16.Transport.Diagnostics;

namespace Ocpp16.CentralSystem;

// The life of one admitted connection: accept, register, serve, unregister.
public sealed partial class OcppCentralSystem
{
    /// <summary>
    /// Accepts the WebSocket of an admitted charge point (its identity reserved under RejectNew) and serves it until the
    /// connection closes. The connection is unregistered whatever happens after it was registered, subscribers that
    /// throw included.
    /// </summary>
    internal async Task ServeAsync(HttpContext context, string id)
    {
        WebSocketOcppTransport? transport;
        try
        {
            transport = await OcppWebSocketServer.AcceptAsync(context, _transportOptions).ConfigureAwait(false);
        }
        catch
        {
            Registry.EndAdmission(id, _options.DuplicateConnections);
            throw;
        }

        if (transport is null)
        {
            Registry.EndAdmission(id, _options.DuplicateConnections);
            CentralSystemLog.Refused(Logger, id, "not a WebSocket request offering ocpp1.6");
            return;
        }

        var dispatcher = new RequestDispatcher(this, _routes, _options, _time);
        var connection = new OcppRpcConnection(transport, dispatcher, _rpcOptions, _transportLogger, _time) { Identity = id };
        await using (connection.ConfigureAwait(false))
        {
            var session = _sessions.GetOrAdd(id);
            var now = _time.GetUtcNow();
            session.Seen(now);
            var chargePoint = new ConnectedChargePoint(id, connection, _options, transport.RemoteAddress, now, session, this);
            dispatcher.ChargePoint = chargePoint;
            var replaced = Registry.Register(chargePoint, _options.DuplicateConnections, out var stopping);
            OcppMetrics.ChargePointConnected();
            var closeInfo = default(OcppCloseInfo);
            try
            {
                foreach (var previous in replaced ?? [])
                {
                    CentralSystemLog.Replaced(Logger, id);
                    _ = previous.Connection.CloseAsync(WebSocketCloseStatus.PolicyViolation, "Replaced by a new connection");
                }

                CentralSystemLog.Connected(Logger, id, transport.RemoteAddress);
                Cluster?.OnLocalConnected(chargePoint);
                Raise(ChargePointConnected, chargePoint, id, nameof(ChargePointConnected));

                // Connections end when the socket closes or when the application stops (closed with 1001 Going Away, see
                // StopAllAsync), so a graceful shutdown does not wait for charge points to hang up.
                if (stopping)
                {
                    _ = connection.StopAsync();
                }

                closeInfo = await connection.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                Registry.Unregister(chargePoint);
                OcppMetrics.ChargePointDisconnected();
                Cluster?.OnLocalDisconnected(chargePoint);
            }

            CentralSystemLog.Disconnected(Logger, id, closeInfo.CloseStatus?.ToString() ?? "connection lost");
            Raise(ChargePointDisconnected, new ChargePointDisconnectedEventArgs(chargePoint, closeInfo), id, nameof(ChargePointDisconnected));
        }
    }

    internal void OnSecurityEventReceived(ConnectedChargePoint chargePoint, ChargePointSecurityEvent securityEvent)
        => Raise(SecurityEventReceived, new ChargePointSecurityEventArgs(chargePoint, securityEvent), chargePoint.Id, nameof(SecurityEventReceived));

    internal void OnTransferStatusReceived(ConnectedChargePoint chargePoint, TransferStatus status)
        => Raise(TransferStatusReceived, new ChargePointTransferStatusEventArgs(chargePoint, status), chargePoint.Id, nameof(TransferStatusReceived));

    /// <summary>Invokes every subscriber of an event; one that throws is logged and does not stop the others or the connection.</summary>
    private void Raise<TArgs>(EventHandler<TArgs>? handlers, TArgs args, string id, string eventName)
    {
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((EventHandler<TArgs>)handler)(this, args);
            }
            catch (Exception ex)
            {
                CentralSystemLog.SubscriberFailed(Logger, id, eventName, ex);
            }
        }
    }
}
