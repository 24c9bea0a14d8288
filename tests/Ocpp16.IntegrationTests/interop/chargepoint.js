'use strict';

// OCPP 1.6-J Charge Point built on ocpp-rpc in strict mode (every message is validated
// against the official OCPP 1.6 JSON schemas). Driven over stdin/stdout JSON lines; see README.md.
//
//   node chargepoint.js --endpoint ws://127.0.0.1:PORT/ocpp --identity CP-1
//                       [--password PW] [--script core|none] [--idtag TAG-1] [--reconnect true|false] [--security true|false]
//
// ocpp-rpc appends "/<identity>" to the endpoint. The password (HTTP Basic, username = identity)
// may also be given through env OCPP_INTEROP_PASSWORD so it never shows up on a command line.

const { RPCClient, createRPCError } = require('ocpp-rpc');
const { emit, log, parseArgs, describeError, ResponseOverrides, readCommands, reportDiagnostics, now, makeShutdown } = require('./common');

const args = parseArgs(process.argv.slice(2));
const endpoint = args.endpoint;
const identity = args.identity;
const password = args.password ?? process.env.OCPP_INTEROP_PASSWORD ?? undefined;
const script = args.script ?? 'none';
const idTag = args.idtag ?? 'TAG-1';
const reconnect = (args.reconnect ?? 'true') !== 'false';
const security = (args.security ?? 'false') === 'true';

if (!endpoint || !identity) {
    log('usage: node chargepoint.js --endpoint ws://host:port/path --identity ID [--password PW] [--script core|none] [--idtag TAG]');
    process.exit(2);
}
if (script !== 'core' && script !== 'none') {
    log(`unknown --script '${script}' (expected core or none)`);
    process.exit(2);
}

const client = new RPCClient({
    endpoint,
    identity,
    password,
    protocols: ['ocpp1.6'],
    strictMode: true,
    callTimeoutMs: 30000,
    reconnect,
    // fast reconnects keep reconnect tests short
    backoff: { initialDelay: 200, maxDelay: 2000, factor: 2, randomisationFactor: 0.1 },
});

reportDiagnostics(client, {});

client.on('open', () => {
    emit({ event: 'connected', protocol: client.protocol ?? null });
});
client.on('disconnect', ({ code, reason }) => {
    emit({ event: 'disconnected', code: code ?? null, reason: reason ? String(reason) : '' });
});
client.on('close', ({ code, reason }) => {
    emit({ event: 'closed', code: code ?? null, reason: reason ? String(reason) : '' });
});

// ---------------------------------------------------------------- CS -> CP handlers

const overrides = new ResponseOverrides();
const configuration = new Map([
    ['HeartbeatInterval', { readonly: false, value: '300' }],
]);

const accepted = () => ({ status: 'Accepted' });
const followUps = new Set(['BootNotification', 'Heartbeat', 'StatusNotification']);

const handlers = {
    RemoteStartTransaction: accepted,
    RemoteStopTransaction: accepted,
    GetConfiguration: p => {
        const configurationKey = [];
        const unknownKey = [];
        const keys = Array.isArray(p.key) && p.key.length > 0 ? p.key : Array.from(configuration.keys());
        for (const key of keys) {
            const entry = configuration.get(key);
            if (entry) {
                configurationKey.push({ key, readonly: entry.readonly, value: entry.value });
            } else {
                unknownKey.push(key);
            }
        }
        const result = { configurationKey };
        if (unknownKey.length > 0) {
            result.unknownKey = unknownKey;
        }
        return result;
    },
    ChangeConfiguration: p => {
        const existing = configuration.get(p.key);
        configuration.set(p.key, { readonly: existing?.readonly ?? false, value: p.value });
        return { status: 'Accepted' };
    },
    Reset: accepted,
    UnlockConnector: () => ({ status: 'Unlocked' }),
    ChangeAvailability: accepted,
    ClearCache: accepted,
    DataTransfer: p => (p.data === undefined ? { status: 'Accepted' } : { status: 'Accepted', data: p.data }),
    TriggerMessage: p => {
        if (followUps.has(p.requestedMessage)) {
            // send the requested message after our CALLRESULT went out
            setTimeout(() => triggered(p.requestedMessage, p.connectorId), 50);
        }
        return { status: 'Accepted' };
    },
    // Beyond Core: harmless defaults so CS->CP calls of the other profiles get a valid answer.
    GetLocalListVersion: () => ({ listVersion: 0 }),
    SendLocalList: accepted,
    ReserveNow: accepted,
    CancelReservation: accepted,
    SetChargingProfile: accepted,
    ClearChargingProfile: accepted,
    GetCompositeSchedule: () => ({ status: 'Rejected' }),
    GetDiagnostics: () => ({}),
    UpdateFirmware: () => ({}),
};

// --security true: harmless answers to the Security extension's seven CS -> CP actions (otherwise NotImplemented).
if (security) {
    Object.assign(handlers, {
        CertificateSigned: accepted,
        DeleteCertificate: () => ({ status: 'NotFound' }),
        ExtendedTriggerMessage: accepted,
        GetInstalledCertificateIds: () => ({ status: 'NotFound' }),
        GetLog: () => ({ status: 'Rejected' }),
        InstallCertificate: accepted,
        SignedUpdateFirmware: accepted,
    });
}

// One explicit handler per action (no wildcard), so unknown actions get NotImplemented.
for (const [action, makeResult] of Object.entries(handlers)) {
    client.handle(action, async ({ params }) => {
        emit({ event: 'call', action, params });
        const overridden = overrides.apply(action, createRPCError);
        if (overridden !== undefined) {
            return overridden;
        }
        return makeResult(params);
    });
}

// ---------------------------------------------------------------- CP -> CS calls

/** Performs one call, prints a result/error line and returns {ok, result|error}. */
async function call(action, params, id, options = {}) {
    try {
        const result = await client.call(action, params, options);
        emit({ event: 'result', ...(id !== undefined ? { id } : {}), action, result });
        return { ok: true, result };
    } catch (err) {
        const error = describeError(err);
        emit({ event: 'error', ...(id !== undefined ? { id } : {}), action, ...error });
        return { ok: false, error };
    }
}

async function triggered(requestedMessage, connectorId) {
    switch (requestedMessage) {
        case 'BootNotification':
            await call('BootNotification', bootParams());
            break;
        case 'Heartbeat':
            await call('Heartbeat', {});
            break;
        case 'StatusNotification':
            await call('StatusNotification', { connectorId: connectorId ?? 0, errorCode: 'NoError', status: 'Available', timestamp: now() });
            break;
    }
}

function bootParams() {
    return { chargePointVendor: 'Ocpp16Interop', chargePointModel: 'ocpp-rpc', firmwareVersion: '1.0.0' };
}

function status(connectorId, value) {
    return { connectorId, errorCode: 'NoError', status: value, timestamp: now() };
}

async function runCoreScript() {
    const steps = [];
    const step = async (action, params) => {
        const r = await call(action, params);
        steps.push(action);
        if (!r.ok) {
            throw Object.assign(new Error(`${action} failed: ${r.error.code} ${r.error.message}`), { failedAction: action });
        }
        return r.result;
    };

    try {
        const boot = await step('BootNotification', bootParams());
        if (boot.status !== 'Accepted') {
            throw Object.assign(new Error(`BootNotification not accepted: ${boot.status}`), { failedAction: 'BootNotification' });
        }
        for (const connectorId of [0, 1, 2]) {
            await step('StatusNotification', status(connectorId, 'Available'));
        }
        await step('Authorize', { idTag });
        await step('StatusNotification', status(1, 'Preparing'));
        const start = await step('StartTransaction', { connectorId: 1, idTag, meterStart: 0, timestamp: now() });
        const transactionId = start.transactionId;
        await step('StatusNotification', status(1, 'Charging'));
        await step('MeterValues', {
            connectorId: 1,
            transactionId,
            meterValue: [{
                timestamp: now(),
                sampledValue: [{
                    value: '500',
                    context: 'Sample.Periodic',
                    measurand: 'Energy.Active.Import.Register',
                    unit: 'Wh',
                }],
            }],
        });
        await step('StopTransaction', { transactionId, idTag, meterStop: 1000, timestamp: now(), reason: 'Local' });
        await step('StatusNotification', status(1, 'Finishing'));
        await step('StatusNotification', status(1, 'Available'));
        await step('Heartbeat', {});
        emit({ event: 'done', ok: true, transactionId });
    } catch (err) {
        emit({ event: 'done', ok: false, failedAction: err.failedAction ?? null, message: String(err.message ?? err) });
    }
}

// ---------------------------------------------------------------- stdin commands

async function onCommand(cmd) {
    switch (cmd.cmd) {
        case 'call': {
            const options = cmd.timeoutMs ? { callTimeoutMs: Number(cmd.timeoutMs) } : {};
            await call(cmd.action, cmd.params ?? {}, cmd.id ?? null, options);
            return;
        }
        case 'raw':
            client.sendRaw(String(cmd.text));
            emit({ event: 'sent', id: cmd.id ?? null });
            return;
        case 'setResponse':
            overrides.set(cmd);
            emit({ event: 'ack', id: cmd.id ?? null, cmd: 'setResponse', action: cmd.action });
            return;
        case 'close':
            await client.close({ code: cmd.code ?? 1000, reason: cmd.reason ?? '', force: cmd.force === true });
            return;
        case 'exit':
            await shutdown(0);
            return;
        default:
            emit({ event: 'commandError', id: cmd.id ?? null, cmd: cmd.cmd ?? null, code: 'HarnessError', message: `unknown cmd '${cmd.cmd}'` });
    }
}

const shutdown = makeShutdown(() => client.close({ code: 1000, force: false }));

process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));

(async () => {
    readCommands(onCommand, () => shutdown(0));
    try {
        await client.connect();
    } catch (err) {
        const e = describeError(err);
        const status = err?.upgrade?.statusCode ?? err?.response?.statusCode ?? null;
        emit({ event: 'connectFailed', ...e, status });
        process.exit(1);
    }
    if (script === 'core') {
        await runCoreScript();
    }
})();
