using System.Text;
using System.Text.Json;
using Ocpp16.Messages;

namespace Ocpp16.Transport.Framing;

/// <summary>
/// Returns the catalog's own string for a known action name instead of allocating a new one per frame (39 names,
/// matched by length then bytes); unknown or escaped names are read normally.
/// </summary>
internal static class KnownActions
{
    private static readonly (byte[] Utf8, string Name)[][] s_byLength = Build();

    public static string Get(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var span = reader.ValueSpan;
            if (span.Length < s_byLength.Length)
            {
                foreach (var (utf8, name) in s_byLength[span.Length])
                {
                    if (span.SequenceEqual(utf8))
                    {
                        return name;
                    }
                }
            }
        }

        return reader.GetString()!;
    }

    private static (byte[] Utf8, string Name)[][] Build()
    {
        var max = OcppActions.All.Max(a => a.Name.Length);
        var table = new (byte[] Utf8, string Name)[max + 1][];
        for (var length = 0; length <= max; length++)
        {
            table[length] = [.. OcppActions.All.Where(a => a.Name.Length == length).Select(a => (Encoding.UTF8.GetBytes(a.Name), a.Name))];
        }

        return table;
    }
}
