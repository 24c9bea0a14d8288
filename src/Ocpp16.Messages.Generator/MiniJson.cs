using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Ocpp16.Messages.Generator
{
    /// <summary>An ordered JSON object (property order matters: it is the schema's order, and so the wire order).</summary>
    internal sealed class JsonObject
    {
        public List<KeyValuePair<string, object?>> Members { get; } = new List<KeyValuePair<string, object?>>();

        public object? this[string name]
        {
            get
            {
                foreach (var m in Members)
                {
                    if (m.Key == name)
                    {
                        return m.Value;
                    }
                }

                return null;
            }
        }

        public bool Has(string name)
        {
            foreach (var m in Members)
            {
                if (m.Key == name)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// A small JSON reader for schema files (objects, arrays, strings, numbers, booleans, null). The generator must not
    /// load System.Text.Json, so this is enough for the schema subset.
    /// </summary>
    internal sealed class MiniJson
    {
        private readonly string _text;
        private int _pos;

        private MiniJson(string text) => _text = text;

        /// <summary>Parses <paramref name="text"/>; numbers are returned as their literal text.</summary>
        public static object? Parse(string text)
        {
            var p = new MiniJson(text);
            p.SkipWs();
            var v = p.ReadValue();
            p.SkipWs();
            if (p._pos != p._text.Length)
            {
                throw new FormatException("Trailing characters at " + p._pos.ToString(CultureInfo.InvariantCulture));
            }

            return v;
        }

        private object? ReadValue()
        {
            SkipWs();
            if (_pos >= _text.Length)
            {
                throw new FormatException("Unexpected end");
            }

            var c = _text[_pos];
            switch (c)
            {
                case '{':
                    return ReadObject();
                case '[':
                    return ReadArray();
                case '"':
                    return ReadString();
                case 't':
                    Expect("true");
                    return true;
                case 'f':
                    Expect("false");
                    return false;
                case 'n':
                    Expect("null");
                    return null;
                default:
                    return ReadNumber();
            }
        }

        private JsonObject ReadObject()
        {
            var o = new JsonObject();
            _pos++;
            SkipWs();
            if (Peek() == '}')
            {
                _pos++;
                return o;
            }

            while (true)
            {
                SkipWs();
                var name = ReadString();
                SkipWs();
                if (Peek() != ':')
                {
                    throw new FormatException("Expected ':' at " + _pos.ToString(CultureInfo.InvariantCulture));
                }

                _pos++;
                var value = ReadValue();
                o.Members.Add(new KeyValuePair<string, object?>(name, value));
                SkipWs();
                var c = Peek();
                _pos++;
                if (c == '}')
                {
                    return o;
                }

                if (c != ',')
                {
                    throw new FormatException("Expected ',' or '}' at " + _pos.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        private List<object?> ReadArray()
        {
            var a = new List<object?>();
            _pos++;
            SkipWs();
            if (Peek() == ']')
            {
                _pos++;
                return a;
            }

            while (true)
            {
                a.Add(ReadValue());
                SkipWs();
                var c = Peek();
                _pos++;
                if (c == ']')
                {
                    return a;
                }

                if (c != ',')
                {
                    throw new FormatException("Expected ',' or ']' at " + _pos.ToString(CultureInfo.InvariantCulture));
                }
            }
        }

        private string ReadString()
        {
            if (Peek() != '"')
            {
                throw new FormatException("Expected string at " + _pos.ToString(CultureInfo.InvariantCulture));
            }

            _pos++;
            var sb = new StringBuilder();
            while (true)
            {
                var c = _text[_pos++];
                if (c == '"')
                {
                    return sb.ToString();
                }

                if (c == '\\')
                {
                    var e = _text[_pos++];
                    switch (e)
                    {
                        case 'n': sb.Append('\n'); break;
                        case 't': sb.Append('\t'); break;
                        case 'r': sb.Append('\r'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'u':
                            sb.Append((char)int.Parse(_text.Substring(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                            _pos += 4;
                            break;
                        default: sb.Append(e); break;
                    }
                }
                else
                {
                    sb.Append(c);
                }
            }
        }

        private string ReadNumber()
        {
            var start = _pos;
            while (_pos < _text.Length && "+-0123456789.eE".IndexOf(_text[_pos]) >= 0)
            {
                _pos++;
            }

            if (start == _pos)
            {
                throw new FormatException("Unexpected character at " + _pos.ToString(CultureInfo.InvariantCulture));
            }

            return _text.Substring(start, _pos - start);
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_text, _pos, word, 0, word.Length) != 0)
            {
                throw new FormatException("Expected " + word);
            }

            _pos += word.Length;
        }

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private void SkipWs()
        {
            while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
            {
                _pos++;
            }
        }
    }
}
