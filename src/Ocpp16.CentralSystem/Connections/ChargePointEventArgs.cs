namespace Ocpp16.CentralSystem;

/// <summary>A charge point's connection closed.</summary>
/// <param name="ChargePoint">The charge point (its calls now fail with <see cref="Transport.OcppConnectionClosedException"/>).</param>
/// <param name="CloseInfo">The WebSocket close status and description, when the peer sent one.</param>
public sealed record ChargePointDisconnectedEventArgs(ConnectedChargePoint ChargePoint, Transport.OcppCloseInfo CloseInfo);

/// <summary>A payload exchanged with a charge point violated its schema.</summary>
/// <param name="ChargePoint">The charge point.</param>
/// <param name="Violation">What was wrong (codes and paths, no values) and whether the policy accepted it.</param>
public sealed record ChargePointPayloadViolationEventArgs(ConnectedChargePoint ChargePoint, Messages.OcppPayloadViolation Violation);

/// <summary>A charge point reported a security event (SecurityEventNotification.req, Security Whitepaper A04); raised after it was answered.</summary>
/// <param name="ChargePoint">The charge point.</param>
/// <param name="SecurityEvent">The event (also kept in <see cref="ChargePointSession.SecurityEvents"/>).</param>
public sealed record ChargePointSecurityEventArgs(ConnectedChargePoint ChargePoint, ChargePointSecurityEvent SecurityEvent);

/// <summary>A charge point reported the status of a firmware download, a diagnostics upload or a log upload; raised after it was answered.</summary>
/// <param name="ChargePoint">The charge point.</param>
/// <param name="Status">The status (also kept in <see cref="ChargePointSession"/>).</param>
public sealed record ChargePointTransferStatusEventArgs(ConnectedChargePoint ChargePoint, TransferStatus Status);
