'use strict';

// OCPP 1.6-J Central System built on ocpp-rpc in strict mode (every message is validated
// against the official OCPP 1.6 JSON schemas). Driven over stdin/stdout JSON lines; see README.md.
//
//   node csms.js [--port N] [--host 127.0.0.1] [--password PW] [--quiet]
//
// --port 0 (default) picks a free port, reported in the {"event":"listening"} line.
// --password (or env OCPP_INTEROP_PASSWORD) makes the server require HTTP Basic auth
// (username = identity) and reject other upgrades with 401.
// --quiet suppresses the per-call {"event":"call"} lines (load benchmark); everything else is unchanged.

const { RPCServer, createRPCError } = require('ocpp-rpc');
const { emit, log, parseArgs, describeError, ResponseOverrides, readCommands, reportDiagnostics, now, makeShutdown } = require('./common');

const args = parseArgs(process.argv.slice(2));
const port = Number(args.port ?? 0);
const host = args.host ?? '127.0.0.1';
const requiredPassword = args.password ?? process.env.OCPP_INTEROP_PASSWORD ?? null;
const quiet = args.quiet === 'true';

if (!Number.isInteger(port) || port < 0 || port > 65535) {
    log(`invalid --port '${args.port}'`);
    process.exit(2);
}

const server = new RPCServer({
    protocols: ['ocpp1.6'],
    strictMode: true,
    callTimeoutMs: 30000,
});

/** identity -> the most recent connected RPCServerClient */
const clients = new Map();
const overrides = new ResponseOverrides();
let nextTransactionId = 1;

server.auth((accept, reject, handshake) => {
    if (requiredPassword !== null) {
        const given = handshake.password ? handshake.password.toString('utf8') : null;
        if (given !== requiredPassword) {
            // Never print the password itself.
            emit({ event: 'rejected', identity: handshake.identity, reason: given === null ? 'noCredentials' : 'badCredentials' });
            reject(401, 'Unauthorized');
            return;
        }
    }
    accept({ authenticated: handshake.password !== undefined });
});

server.on('upgradeAborted', ev => {
    emit({ event: 'upgradeAborted', identity: ev.identity ?? null, message: String(ev.error?.message ?? '') });
});

server.on('client', client => {
    const identity = client.identity;
    clients.set(identity, client);
    emit({
        event: 'connected',
        identity,
        protocol: client.protocol ?? null,
        endpoint: client.handshake?.endpoint ?? null,
        authenticated: client.session?.authenticated === true,
    });

    reportDiagnostics(client, { identity });

    client.once('close', ({ code, reason }) => {
        if (clients.get(identity) === client) {
            clients.delete(identity);
        }
        emit({ event: 'disconnected', identity, code: code ?? null, reason: reason ? String(reason) : '' });
    });

    // One explicit handler per action (no wildcard), so that unknown actions are answered by
    // ocpp-rpc with NotImplemented rather than a strict-mode ProtocolError.
    const handle = (action, makeResult) => {
        client.handle(action, async ({ params }) => {
            if (!quiet) {
                emit({ event: 'call', identity, action, params });
            }
            const overridden = overrides.apply(action, createRPCError);
            if (overridden !== undefined) {
                return overridden;
            }
            return makeResult(params);
        });
    };

    const accepted = { idTagInfo: { status: 'Accepted' } };

    handle('BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
    handle('Heartbeat', () => ({ currentTime: now() }));
    handle('StatusNotification', () => ({}));
    handle('MeterValues', () => ({}));
    handle('DiagnosticsStatusNotification', () => ({}));
    handle('FirmwareStatusNotification', () => ({}));
    handle('Authorize', p => ({ idTagInfo: { status: p.idTag === 'BLOCKED' ? 'Blocked' : 'Accepted' } }));
    handle('StartTransaction', () => ({ transactionId: nextTransactionId++, idTagInfo: { status: 'Accepted' } }));
    handle('StopTransaction', () => accepted);
    handle('DataTransfer', p => (p.data === undefined ? { status: 'Accepted' } : { status: 'Accepted', data: p.data }));
    // Security extension (OCPP 1.6 Security Whitepaper): the four CP -> CS actions.
    handle('SecurityEventNotification', () => ({}));
    handle('LogStatusNotification', () => ({}));
    handle('SignedFirmwareStatusNotification', () => ({}));
    handle('SignCertificate', () => ({ status: 'Accepted' }));
});

async function onCommand(cmd) {
    switch (cmd.cmd) {
        case 'call': {
            const client = clients.get(cmd.identity);
            if (!client) {
                emit({ event: 'error', id: cmd.id ?? null, action: cmd.action, code: 'NotConnected', message: `no client connected as '${cmd.identity}'` });
                return;
            }
            try {
                const options = cmd.timeoutMs ? { callTimeoutMs: Number(cmd.timeoutMs) } : {};
                const result = await client.call(cmd.action, cmd.params ?? {}, options);
                emit({ event: 'result', id: cmd.id ?? null, identity: cmd.identity, action: cmd.action, result });
            } catch (err) {
                emit({ event: 'error', id: cmd.id ?? null, identity: cmd.identity, action: cmd.action, ...describeError(err) });
            }
            return;
        }
        case 'raw': {
            // Sends an arbitrary text frame, bypassing ocpp-rpc (negative tests).
            const client = clients.get(cmd.identity);
            if (!client) {
                emit({ event: 'error', id: cmd.id ?? null, code: 'NotConnected', message: `no client connected as '${cmd.identity}'` });
                return;
            }
            client.sendRaw(String(cmd.text));
            emit({ event: 'sent', id: cmd.id ?? null, identity: cmd.identity });
            return;
        }
        case 'close': {
            const client = clients.get(cmd.identity);
            if (!client) {
                emit({ event: 'error', id: cmd.id ?? null, code: 'NotConnected', message: `no client connected as '${cmd.identity}'` });
                return;
            }
            await client.close({ code: cmd.code ?? 1000, reason: cmd.reason ?? '', force: cmd.force === true });
            emit({ event: 'closed', id: cmd.id ?? null, identity: cmd.identity });
            return;
        }
        case 'setResponse':
            overrides.set(cmd);
            emit({ event: 'ack', id: cmd.id ?? null, cmd: 'setResponse', action: cmd.action });
            return;
        case 'exit':
            await shutdown(0);
            return;
        default:
            emit({ event: 'commandError', id: cmd.id ?? null, cmd: cmd.cmd ?? null, code: 'HarnessError', message: `unknown cmd '${cmd.cmd}'` });
    }
}

const shutdown = makeShutdown(() => server.close({ code: 1001, reason: 'Server shutting down' }));

process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));

(async () => {
    let httpServer;
    try {
        httpServer = await server.listen(port, host);
    } catch (err) {
        emit({ event: 'fatal', ...describeError(err) });
        process.exit(1);
    }
    emit({ event: 'listening', port: httpServer.address().port, host });
    // stdin closing (e.g. the test process died) ends the CSMS.
    readCommands(onCommand, () => shutdown(0));
})();
