using Microsoft.CodeAnalysis;

namespace Ocpp16.Messages.Generator
{
    /// <summary>Diagnostics of the schema generator, with stable ids OCPPGEN001–OCPPGEN013.</summary>
    internal static class OcppDiagnosticDescriptors
    {
        private const string Category = "Ocpp16.Messages.Generator";

        public static DiagnosticDescriptor For(string id)
        {
            // OCPPGEN005 (additionalProperties not false) is informational: the reader is strict regardless.
            var severity = id == "OCPPGEN005" ? DiagnosticSeverity.Info : DiagnosticSeverity.Error;
            return new DiagnosticDescriptor(id, "OCPP schema problem", "{0}: {1}", Category, severity, isEnabledByDefault: true);
        }
    }
}
