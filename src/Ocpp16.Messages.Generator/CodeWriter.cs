using System.Text;

namespace Ocpp16.Messages.Generator
{
    /// <summary>An indenting source writer.</summary>
    internal sealed class CodeWriter
    {
        private readonly StringBuilder _sb = new StringBuilder();
        private int _indent;

        public CodeWriter Line(string text = "")
        {
            if (text.Length == 0)
            {
                _sb.Append('\n');
                return this;
            }

            if (text.StartsWith("}", System.StringComparison.Ordinal))
            {
                _indent--;
            }

            _sb.Append(' ', _indent * 4).Append(text).Append('\n');
            if (text.EndsWith("{", System.StringComparison.Ordinal))
            {
                _indent++;
            }

            return this;
        }

        public override string ToString() => _sb.ToString();
    }
}
