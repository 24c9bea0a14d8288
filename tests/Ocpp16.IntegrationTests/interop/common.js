'use strict';

// Shared plumbing for csms.js and chargepoint.js: the JSON-lines protocol on
// stdout/stdin, argument parsing, error shaping and scripted response overrides.
// See README.md for the protocol.

const readline = require('node:readline');

/** Writes one JSON object as one line on stdout (synchronous for pipes on POSIX). */
function emit(obj) {
    process.stdout.write(JSON.stringify(obj) + '\n');
}

/** Diagnostics go to stderr so they never interfere with the line protocol. */
function log(...args) {
    process.stderr.write(args.map(a => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ') + '\n');
}

/** Parses `--name value` pairs (and bare `--flag` as "true"). */
function parseArgs(argv) {
    const out = {};
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (!a.startsWith('--')) {
            throw new Error(`Unexpected argument '${a}'`);
        }
        const eq = a.indexOf('=');
        if (eq > 0) {
            out[a.slice(2, eq)] = a.slice(eq + 1);
        } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
            out[a.slice(2)] = argv[++i];
        } else {
            out[a.slice(2)] = 'true';
        }
    }
    return out;
}

/** Turns any thrown value (RPCError, TimeoutError, Error) into {code, message, details?}. */
function describeError(err) {
    if (err == null) {
        return { code: 'HarnessError', message: 'unknown error' };
    }
    let code = err.rpcErrorCode;
    if (!code) {
        if (err.name === 'TimeoutError' || err.constructor?.name === 'TimeoutError') {
            code = 'Timeout';
        } else if (err.name === 'AbortError') {
            code = 'Aborted';
        } else if (err.constructor?.name === 'UnexpectedHttpResponse') {
            code = 'UnexpectedHttpResponse';
        } else if (typeof err.code === 'string') {
            code = err.code; // e.g. ECONNREFUSED
        } else {
            code = 'HarnessError';
        }
    }
    const out = { code, message: String(err.message ?? err) };
    if (err.details && typeof err.details === 'object' && Object.keys(err.details).length > 0) {
        out.details = err.details;
    }
    return out;
}

/**
 * Per-action response overrides installed with {"cmd":"setResponse"}.
 * An override is either {result} or {error:{code,message,details}}; `once` ones are used a single time.
 */
class ResponseOverrides {
    constructor() {
        this._byAction = new Map();
    }

    set(cmd) {
        if (typeof cmd.action !== 'string') {
            throw new Error('setResponse needs an "action"');
        }
        if (cmd.result === undefined && cmd.error === undefined) {
            // clearing
            this._byAction.delete(cmd.action);
            return;
        }
        this._byAction.set(cmd.action, { result: cmd.result, error: cmd.error, once: cmd.once === true });
    }

    /** Returns undefined when no override applies, otherwise the result (or throws the RPC error). */
    apply(action, createRPCError) {
        const o = this._byAction.get(action);
        if (!o) {
            return undefined;
        }
        if (o.once) {
            this._byAction.delete(action);
        }
        if (o.error !== undefined) {
            const e = o.error ?? {};
            throw createRPCError(e.code ?? 'GenericError', e.message ?? '', e.details ?? {});
        }
        return o.result;
    }
}

/**
 * Reads JSON commands line by line from stdin. `onCommand` may be async; errors are reported
 * as {"event":"error","id":...} lines. `onEnd` runs when stdin closes.
 */
function readCommands(onCommand, onEnd) {
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
    rl.on('line', line => {
        const text = line.trim();
        if (text === '') {
            return;
        }
        let cmd;
        try {
            cmd = JSON.parse(text);
        } catch (err) {
            emit({ event: 'commandError', message: `stdin line is not JSON: ${err.message}` });
            return;
        }
        Promise.resolve()
            .then(() => onCommand(cmd))
            .catch(err => {
                emit({ event: 'commandError', id: cmd?.id, cmd: cmd?.cmd, ...describeError(err) });
            });
    });
    rl.on('close', () => onEnd());
}

/** Wires the strict-mode and bad-message diagnostics of one ocpp-rpc client to stdout lines. */
function reportDiagnostics(client, extra) {
    client.on('strictValidationFailure', ev => {
        emit({
            event: 'strictValidationFailure',
            ...extra,
            messageId: ev.messageId,
            action: ev.method,
            outbound: ev.outbound,
            isCall: ev.isCall,
            params: ev.params ?? null,
            result: ev.result ?? null,
            code: ev.error?.rpcErrorCode ?? 'GenericError',
            message: String(ev.error?.message ?? ''),
        });
    });
    client.on('badMessage', ev => {
        emit({
            event: 'badMessage',
            ...extra,
            raw: ev.buffer ? ev.buffer.toString('utf8') : null,
            code: ev.error?.rpcErrorCode ?? 'GenericError',
            message: String(ev.error?.message ?? ''),
            response: ev.response ?? null,
        });
    });
}

/** ISO-8601 UTC with milliseconds, e.g. 2025-01-31T12:34:56.789Z. */
function now() {
    return new Date().toISOString();
}

/**
 * Returns shutdown(code): runs closeFn once (bounded to 1.5 s), prints {"event":"exited"} and exits the process.
 * Shared by csms.js and chargepoint.js (SIGTERM, SIGINT, stdin closed, or the "exit" command).
 */
function makeShutdown(closeFn) {
    let shuttingDown = false;
    return async function shutdown(code) {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        const timer = setTimeout(() => process.exit(code), 1500);
        timer.unref();
        try {
            await closeFn();
        } catch (err) {
            log('close failed:', String(err?.message ?? err));
        }
        emit({ event: 'exited' });
        process.exit(code);
    };
}

module.exports = { emit, log, parseArgs, describeError, ResponseOverrides, readCommands, reportDiagnostics, now, makeShutdown };
