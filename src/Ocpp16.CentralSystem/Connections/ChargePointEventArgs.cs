namespace Ocpp16.CentralSystem;

/// <summary>A charge point's connection closed.</summary>
/// <param name="ChargePoint">The charge point (its calls now fail with <see cref="Transport.OcppConnectionClosedException"/>).</param>
/// <param name="CloseInfo">The WebSocket close status and description, when the peer sent one.</param>
public sealed record ChargePointDisconnectedEventArgs(ConnectedChargePoint ChargePoint, Transport.OcppCloseInfo CloseInfo);

/// <summary>A payload exchanged with a charge point violated its schema.</summary>
/// <param name="ChargePoint">The charge point.</param>
/// <param name="Violation">What was wrong (codes and paths, no values) and whether the policy accepted it.</param>
public sealed record ChargePointPayloadViolationEventArgs(ConnectedChargePoint ChargePoint, Messages.OcppPayloadViolation Violation);
