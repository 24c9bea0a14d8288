using Microsoft.CodeAnalysis;

namespace Ocpp16.Messages.Generator
{
    /// <summary>Emits the OCPP 1.6 message types from the official JSON schemas (AdditionalFiles).</summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class OcppMessagesGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
        }
    }
}
