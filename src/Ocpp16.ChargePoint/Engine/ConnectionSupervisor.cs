using Microsoft.Extensions.Logging;
using Ocpp16.Transport;
using Ocpp16.Transport.Diagnostics;

namespace Ocpp16.ChargePoint.Engine;

/// <summary>
/// Keeps one connection to the Central System open: connects, reconnects with exponential backoff and jitter after a
/// loss or refusal, and tells the loop when a connection opens and closes. Runs off the loop (connecting blocks).
/// </summary>
internal sealed class ConnectionSupervisor
{
    private readonly ChargePointOptions _options;
    private readonly ChargePointConfiguration _configuration;
    private readonly EngineLoop _loop;
    private readonly ActionRouter _router;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Action<OcppRpcConnection> _onConnected;
    private readonly Action<OcppRpcConnection, OcppCloseInfo?> _onDisconnected;
    private readonly Action<ChargePointConnectionState> _onState;
    private readonly Func<CancellationToken, ValueTask<Security.ConnectionSettings>> _settings;
    private readonly Action<Security.ConnectionAttempt> _onAttempt;
    private readonly OcppRpcOptions _rpcOptions;
    private volatile OcppRpcConnection? _current;
    private volatile bool _stopping;

    public ConnectionSupervisor(
        ChargePointOptions options,
        ChargePointConfiguration configuration,
        EngineLoop loop,
        ActionRouter router,
        ILoggerFactory loggerFactory,
        Action<OcppRpcConnection> onConnected,
        Action<OcppRpcConnection, OcppCloseInfo?> onDisconnected,
        Action<ChargePointConnectionState> onState,
        Func<CancellationToken, ValueTask<Security.ConnectionSettings>> settings,
        Action<Security.ConnectionAttempt> onAttempt)
    {
        _settings = settings;
        _onAttempt = onAttempt;
        _options = options;
        _configuration = configuration;
        _loop = loop;
        _router = router;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Ocpp16.ChargePoint");
        _onConnected = onConnected;
        _onDisconnected = onDisconnected;
        _onState = onState;
        _rpcOptions = new OcppRpcOptions { DefaultCallTimeout = options.CallTimeout };
    }

    /// <summary>The open connection, if any (read from any thread).</summary>
    public OcppRpcConnection? Current => _current;

    /// <summary>Connects and reconnects until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(_options.ReconnectMinDelay, _options.ReconnectMaxDoublings, _options.ReconnectMaxDelay, _options.ReconnectRandomRange);
        var first = true;
        while (!cancellationToken.IsCancellationRequested && !_stopping)
        {
            _onState(first ? ChargePointConnectionState.Connecting : ChargePointConnectionState.Reconnecting);
            OcppMetrics.RecordReconnect(isFirstAttempt: first);
            first = false;
            IOcppTransport transport;
            Security.ConnectionAttempt attempt;
            try
            {
                attempt = new Security.ConnectionAttempt(await _settings(cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                transport = await OpenAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                attempt.Error = e;
                _loop.Post(() => _onAttempt(attempt));
                var wait = backoff.Next();
                ChargePointLog.ConnectFailed(_logger, _options.Identity, wait.TotalSeconds, e.Message);
                await DelayAsync(wait, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _loop.Post(() => _onAttempt(attempt));
            backoff.Reset();
            var connection = new OcppRpcConnection(transport, _router.CreateConnectionHandler(), _rpcOptions, _loggerFactory.CreateLogger("Ocpp16.Transport"), _loop.Time)
            {
                Identity = _options.Identity,
            };
            OcppCloseInfo? closeInfo = null;
            await using (connection.ConfigureAwait(false))
            {
                var run = connection.RunAsync(cancellationToken);
                _current = connection;
                ChargePointLog.Connected(_logger, _options.Identity);
                _onState(ChargePointConnectionState.Connected);
                _loop.Post(() => _onConnected(connection));
                try
                {
                    closeInfo = await run.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopping.
                }
                catch (Exception e)
                {
                    ChargePointLog.LoopError(_logger, _options.Identity, e);
                }

                _current = null;
                if (cancellationToken.IsCancellationRequested || _stopping)
                {
                    ChargePointLog.DisconnectedOnStop(_logger, _options.Identity);
                }
                else
                {
                    ChargePointLog.Disconnected(_logger, _options.Identity, closeInfo?.CloseStatus?.ToString() ?? (closeInfo?.IsCancelled == true ? "stopped" : "connection lost"));
                }

                _loop.Post(() => _onDisconnected(connection, closeInfo));
            }

            if (!cancellationToken.IsCancellationRequested && !_stopping)
            {
                _onState(ChargePointConnectionState.Reconnecting);
                await DelayAsync(backoff.Next(), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>No reconnection any more: the engine stops (the run ends when its token is cancelled).</summary>
    public void Stop() => _stopping = true;

    /// <summary>Closes the open connection (it is then re-established after the backoff delay).</summary>
    public async Task CloseCurrentAsync(string reason)
    {
        if (_current is { } connection)
        {
            try
            {
                await connection.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, reason).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Closing is best effort; the receive loop ends either way.
            }
        }
    }

    private async ValueTask<IOcppTransport> OpenAsync(Security.ConnectionAttempt attempt, CancellationToken cancellationToken)
    {
        if (_options.TransportFactory is { } factory)
        {
            return await factory(cancellationToken).ConfigureAwait(false);
        }

        var uri = attempt.Settings.Uri ?? throw new InvalidOperationException("No Central System URL for security profile " + attempt.Settings.SecurityProfile + ".");
        ChargePointLog.Connecting(_logger, _options.Identity, uri);
        return await OcppWebSocketClient.ConnectAsync(
            uri,
            _options.Identity,
            Security.ChargePointSecurity.CreateClientOptions(attempt, _configuration.GetInt32(CoreKeys.WebSocketPingInterval), _options.PongTimeout),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _loop.Time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
