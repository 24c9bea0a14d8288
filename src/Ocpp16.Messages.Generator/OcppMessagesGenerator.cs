using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Ocpp16.Messages.Generator.Model;

namespace Ocpp16.Messages.Generator
{
    /// <summary>
    /// Emits the OCPP 1.6 message types, their one-pass readers/validators, writers and the action catalog from the
    /// official JSON schemas, passed as <c>AdditionalFiles</c> (any <c>*.json</c> under a <c>Schemas</c> folder).
    /// Pipeline: schema texts → <see cref="OcppSchemaParser"/> (equatable model) → <see cref="OcppSchemaEmitter"/>.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class OcppMessagesGenerator : IIncrementalGenerator
    {
        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var schemas = context.AdditionalTextsProvider
                .Where(static t => t.Path.EndsWith(".json", System.StringComparison.OrdinalIgnoreCase)
                    && Path.GetFileName(Path.GetDirectoryName(t.Path)) == "Schemas")
                .Select(static (t, ct) => new SchemaFile(Path.GetFileName(t.Path), t.GetText(ct)?.ToString() ?? string.Empty))
                .Collect()
                .Select(static (files, _) => OcppSchemaParser.Parse(files.Select(f => (f.FileName, f.Text))));

            context.RegisterSourceOutput(schemas, static (spc, model) =>
            {
                foreach (var d in model.Diagnostics)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(OcppDiagnosticDescriptors.For(d.Id), Location.None, d.File, d.Message));
                }

                if (model.Actions.Count == 0)
                {
                    return;
                }

                foreach (var (hint, source) in OcppSchemaEmitter.Emit(model))
                {
                    spc.AddSource(hint, SourceText.From(source, Encoding.UTF8));
                }
            });
        }

        private sealed record SchemaFile(string FileName, string Text);
    }
}
