using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Ocpp16.Messages.Generator.Model;

namespace Ocpp16.Messages.Generator
{
    /// <summary>Schema text → <see cref="GeneratorModel"/>. No Roslyn symbols; deterministic for the same inputs.</summary>
    internal sealed class OcppSchemaParser
    {
        private readonly List<DiagnosticModel> _diagnostics = new List<DiagnosticModel>();
        private readonly Dictionary<string, List<string>> _enumValues = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        private readonly List<string> _enumOrder = new List<string>();
        private readonly Dictionary<(string, EquatableArray<string>), string> _enumShapes = new Dictionary<(string, EquatableArray<string>), string>();
        private readonly List<EnumShape> _enumShapeList = new List<EnumShape>();
        private readonly Dictionary<(string, EquatableArray<PropertyModel>), string> _shapes = new Dictionary<(string, EquatableArray<PropertyModel>), string>();
        private readonly List<ObjectShape> _shapeList = new List<ObjectShape>();
        private readonly Dictionary<string, int> _shapeCount = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly Dictionary<string, ObjectTypeModel> _types = new Dictionary<string, ObjectTypeModel>(StringComparer.Ordinal);
        private readonly List<string> _typeOrder = new List<string>();
        private string _file = string.Empty;
        private bool _draft04;

        public static GeneratorModel Parse(IEnumerable<(string FileName, string Text)> files)
        {
            var p = new OcppSchemaParser();
            var requests = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var responses = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (fileName, text) in files.OrderBy(f => f.FileName, StringComparer.Ordinal))
            {
                p.ParseFile(fileName, text, requests, responses);
            }

            var actions = new List<ActionModel>();
            foreach (var kv in requests)
            {
                var action = kv.Key;
                if (!responses.ContainsKey(action))
                {
                    p._diagnostics.Add(new DiagnosticModel("OCPPGEN003", "Action '" + action + "' has a request schema but no response schema.", kv.Value));
                    continue;
                }

                if (!OcppNaming.Actions.TryGetValue(action, out var info))
                {
                    p._diagnostics.Add(new DiagnosticModel("OCPPGEN004", "Action '" + action + "' is not in the OCPP 1.6 action catalog.", kv.Value));
                    continue;
                }

                actions.Add(new ActionModel(action, action + "Request", action + "Response", info.Direction, info.Profile, info.Section));
            }

            var enums = p._enumOrder.OrderBy(n => n, StringComparer.Ordinal)
                .Select(n => new EnumTypeModel(n, p._enumValues[n].ToEquatableArray()))
                .ToEquatableArray();
            var types = p._typeOrder.OrderBy(n => n, StringComparer.Ordinal).Select(n => p._types[n]).ToEquatableArray();
            return new GeneratorModel(
                types,
                enums,
                p._shapeList.OrderBy(s => s.ShapeId, StringComparer.Ordinal).ToEquatableArray(),
                p._enumShapeList.OrderBy(s => s.ShapeId, StringComparer.Ordinal).ToEquatableArray(),
                actions.ToEquatableArray(),
                p._diagnostics.ToEquatableArray());
        }

        private void ParseFile(string fileName, string text, SortedDictionary<string, string> requests, SortedDictionary<string, string> responses)
        {
            _file = fileName;
            JsonObject root;
            try
            {
                root = MiniJson.Parse(text) as JsonObject ?? throw new FormatException("Schema root is not an object.");
            }
            catch (Exception e) when (e is FormatException || e is IndexOutOfRangeException || e is ArgumentOutOfRangeException)
            {
                _diagnostics.Add(new DiagnosticModel("OCPPGEN001", "Schema could not be read: " + e.Message, fileName));
                return;
            }

            // JSON Schema draft-04 defines an integer as a number without fraction or exponent; draft-06 as any number
            // with a zero fraction (1.0). The OCPP 1.6 schemas are draft-04, the Security extension's draft-06.
            _draft04 = !(root["$schema"] is string draft) || draft.Contains("draft-04");
            var baseName = System.IO.Path.GetFileNameWithoutExtension(fileName);
            var isResponse = baseName.EndsWith("Response", StringComparison.Ordinal);
            var action = isResponse ? baseName.Substring(0, baseName.Length - "Response".Length) : baseName;
            var className = action + (isResponse ? "Response" : "Request");
            OcppNaming.Actions.TryGetValue(action, out var info);
            var message = new MessageModel(action, !isResponse, action + "Response", System.IO.Path.GetFileName(fileName), info.Section ?? "OCPP 1.6");
            ParseObject(root, baseName, className, root, message);
            (isResponse ? responses : requests)[action] = fileName;
        }

        private string ParseObject(JsonObject node, string path, string typeName, JsonObject root, MessageModel? message)
        {
            var required = new HashSet<string>(StringComparer.Ordinal);
            if (node["required"] is List<object?> req)
            {
                foreach (var r in req)
                {
                    if (r is string s)
                    {
                        required.Add(s);
                    }
                }
            }

            if (!(node["additionalProperties"] is bool ap) || ap)
            {
                _diagnostics.Add(new DiagnosticModel("OCPPGEN005", "Object at '" + path + "' allows additional properties; the generated reader rejects them.", _file));
            }

            var props = new List<PropertyModel>();
            if (node["properties"] is JsonObject properties)
            {
                foreach (var m in properties.Members)
                {
                    if (!(m.Value is JsonObject propNode))
                    {
                        continue;
                    }

                    var value = ParseValue(propNode, path + "/" + m.Key, root);
                    if (value is null)
                    {
                        continue;
                    }

                    props.Add(new PropertyModel(m.Key, OcppNaming.Pascal(m.Key), required.Contains(m.Key), value));
                }
            }

            foreach (var r in required)
            {
                if (!props.Any(p => p.JsonName == r))
                {
                    _diagnostics.Add(new DiagnosticModel("OCPPGEN006", "Required property '" + r + "' at '" + path + "' is not defined.", _file));
                }
            }

            var propArray = props.ToEquatableArray();
            RegisterType(typeName, propArray, message, path);

            var key = (typeName, propArray);
            if (_shapes.TryGetValue(key, out var existing))
            {
                return existing;
            }

            _shapeCount.TryGetValue(typeName, out var n);
            n++;
            _shapeCount[typeName] = n;
            var shapeId = n == 1 ? typeName : typeName + "_" + n.ToString(CultureInfo.InvariantCulture);
            _shapes[key] = shapeId;
            _shapeList.Add(new ObjectShape(shapeId, typeName, propArray));
            return shapeId;
        }

        private void RegisterType(string typeName, EquatableArray<PropertyModel> props, MessageModel? message, string path)
        {
            if (!_types.TryGetValue(typeName, out var existing))
            {
                _types[typeName] = new ObjectTypeModel(typeName, props, message);
                _typeOrder.Add(typeName);
                return;
            }

            // One C# class may serve several schema places when the properties and their C# types agree; constraints
            // (maxLength, enum subsets) may differ and are checked per place by the shape readers.
            var same = existing.Properties.Count == props.Count;
            for (var i = 0; same && i < props.Count; i++)
            {
                var a = existing.Properties[i];
                var b = props[i];
                same = a.JsonName == b.JsonName && a.Required == b.Required && CsTypeKey(a.Value) == CsTypeKey(b.Value);
            }

            if (!same)
            {
                _diagnostics.Add(new DiagnosticModel("OCPPGEN002", "Type '" + typeName + "' at '" + path + "' has a different shape than elsewhere.", _file));
            }
        }

        private static string CsTypeKey(ValueModel v)
            => v.Kind == ValueKind.Array ? "[" + CsTypeKey(v.Items!) + "]" : v.Kind.ToString() + ":" + v.TypeName;

        private ValueModel? ParseValue(JsonObject node, string path, JsonObject root)
        {
            string? definitionName = null;
            if (node["$ref"] is string reference)
            {
                const string prefix = "#/definitions/";
                if (!reference.StartsWith(prefix, StringComparison.Ordinal) || !(root["definitions"] is JsonObject defs) || !(defs[reference.Substring(prefix.Length)] is JsonObject target))
                {
                    _diagnostics.Add(new DiagnosticModel("OCPPGEN007", "Unresolvable $ref '" + reference + "' at '" + path + "'.", _file));
                    return null;
                }

                definitionName = reference.Substring(prefix.Length);
                node = target;
            }

            var type = node["type"] as string;
            if (node["enum"] is List<object?> enumValues)
            {
                var name = TypeNameFor(path, definitionName);
                if (name is null)
                {
                    return null;
                }

                var values = enumValues.OfType<string>().ToList();
                var members = new HashSet<string>(StringComparer.Ordinal);
                if (values.Count == 0 || values.Count != enumValues.Count || values.Any(v => OcppNaming.Pascal(v).Length == 0 || !members.Add(OcppNaming.Pascal(v))))
                {
                    _diagnostics.Add(new DiagnosticModel("OCPPGEN012", "Enum at '" + path + "' has a value that is not a string, is empty, or maps to the same C# member as another.", _file));
                    return null;
                }

                RegisterEnum(name, values);
                var shapeKey = (name, values.ToEquatableArray());
                if (!_enumShapes.TryGetValue(shapeKey, out var shapeId))
                {
                    shapeId = name + "_" + (_enumShapeList.Count(s => s.TypeName == name) + 1).ToString(CultureInfo.InvariantCulture);
                    _enumShapes[shapeKey] = shapeId;
                    _enumShapeList.Add(new EnumShape(shapeId, name, shapeKey.Item2));
                }

                return new ValueModel(ValueKind.Enum, name, shapeId, -1, 0, false, null);
            }

            switch (type)
            {
                case "string":
                    var format = node["format"] as string;
                    if (format == "date-time")
                    {
                        return new ValueModel(ValueKind.DateTime, null, null, -1, 0, false, null);
                    }

                    var maxLength = ReadCount(node, "maxLength", path, -1);
                    return new ValueModel(ValueKind.String, null, null, maxLength, 0, false, null);
                case "integer":
                    return new ValueModel(ValueKind.Integer, null, null, -1, 0, false, null, !_draft04);
                case "number":
                    var multipleOf = node["multipleOf"] as string;
                    if (multipleOf != null && multipleOf != "0.1")
                    {
                        _diagnostics.Add(new DiagnosticModel("OCPPGEN008", "multipleOf other than 0.1 at '" + path + "' is not supported.", _file));
                    }

                    return new ValueModel(ValueKind.Number, null, null, -1, 0, multipleOf == "0.1", null);
                case "boolean":
                    return new ValueModel(ValueKind.Boolean, null, null, -1, 0, false, null);
                case "object":
                {
                    var name = TypeNameFor(path, definitionName);
                    if (name is null)
                    {
                        return null;
                    }

                    var shapeId = ParseObject(node, path, name, root, null);
                    return new ValueModel(ValueKind.Object, name, shapeId, -1, 0, false, null);
                }

                case "array":
                {
                    if (!(node["items"] is JsonObject items))
                    {
                        _diagnostics.Add(new DiagnosticModel("OCPPGEN009", "Array without items at '" + path + "'.", _file));
                        return null;
                    }

                    var item = ParseValue(items, path + "[]", root);
                    if (item is null)
                    {
                        return null;
                    }

                    var minItems = ReadCount(node, "minItems", path, 0);
                    return new ValueModel(ValueKind.Array, null, null, -1, minItems, false, item);
                }

                default:
                    _diagnostics.Add(new DiagnosticModel("OCPPGEN010", "Unsupported type '" + (type ?? "(none)") + "' at '" + path + "'.", _file));
                    return null;
            }
        }

        /// <summary>Reads a non-negative integer keyword (maxLength, minItems); anything else is reported, never thrown.</summary>
        private int ReadCount(JsonObject node, string keyword, string path, int absent)
        {
            if (!node.Has(keyword))
            {
                return absent;
            }

            if (node[keyword] is string text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            _diagnostics.Add(new DiagnosticModel("OCPPGEN013", keyword + " at '" + path + "' is not a non-negative integer.", _file));
            return absent;
        }

        private string? TypeNameFor(string path, string? definitionName)
        {
            var name = definitionName != null ? OcppNaming.NameForDefinition(definitionName) : OcppNaming.NameForPath(path);
            if (name is null)
            {
                _diagnostics.Add(new DiagnosticModel("OCPPGEN011", "No specification name for the type at '" + path + "'" + (definitionName != null ? " (definition " + definitionName + ")" : string.Empty) + ".", _file));
            }

            return name;
        }

        private void RegisterEnum(string name, List<string> values)
        {
            if (!_enumValues.TryGetValue(name, out var union))
            {
                union = new List<string>();
                _enumValues[name] = union;
                _enumOrder.Add(name);
            }

            foreach (var v in values)
            {
                if (!union.Contains(v))
                {
                    union.Add(v);
                }
            }
        }
    }
}
