using System.Text.Json;

namespace Ocpp16.Messages.Serialization;

/// <summary>Hand-written half of the generated codec: shared reader options and result finishing.</summary>
internal static partial class OcppCodec
{
    /// <summary>Reader options: no comments, no trailing commas, nesting bounded (OCPP payloads are at most 5 deep).</summary>
    internal static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    /// <summary>Roots every violation path at <c>$</c> and returns the first one.</summary>
    internal static OcppViolation? Finish(ref OcppReadState state)
    {
        if (state.ViolationCount == 0)
        {
            return null;
        }

        state.PrependPath(0, "$");
        return state.FirstViolation;
    }
}
