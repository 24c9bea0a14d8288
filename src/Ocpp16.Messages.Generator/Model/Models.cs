namespace Ocpp16.Messages.Generator.Model
{
    /// <summary>JSON kinds a schema property can have, after resolving $ref and format.</summary>
    internal enum ValueKind
    {
        String,
        Integer,
        Number,
        Boolean,
        DateTime,
        Enum,
        Object,
        Array,
    }

    /// <summary>
    /// The schema of one value at one place. <see cref="IntegerMayHaveZeroFraction"/>: draft-06 counts 1.0 as an integer,
    /// draft-04 (the 28 OCPP 1.6 actions) does not. <see cref="TypeName"/> names the C# enum or class for Enum/Object;
    /// <see cref="ShapeId"/> names the validator (reader) for Object and the allowed-value set for Enum, which can
    /// differ between places that share one C# type (StopTransaction's units lack "Hertz").
    /// </summary>
    internal sealed record ValueModel(
        ValueKind Kind,
        string? TypeName,
        string? ShapeId,
        int MaxLength,
        int MinItems,
        bool MultipleOfTenth,
        ValueModel? Items,
        bool IntegerMayHaveZeroFraction = false);

    internal sealed record PropertyModel(string JsonName, string CsName, bool Required, ValueModel Value);

    /// <summary>One distinct object schema: a reader/validator function.</summary>
    internal sealed record ObjectShape(string ShapeId, string TypeName, EquatableArray<PropertyModel> Properties);

    /// <summary>One distinct set of allowed values of an enum type at some places.</summary>
    internal sealed record EnumShape(string ShapeId, string TypeName, EquatableArray<string> Values);

    /// <summary>A generated C# enum: the union of every place's values, in first-seen order.</summary>
    internal sealed record EnumTypeModel(string TypeName, EquatableArray<string> Values);

    /// <summary>A generated C# class (nested type or message).</summary>
    internal sealed record ObjectTypeModel(string TypeName, EquatableArray<PropertyModel> Properties, MessageModel? Message);

    /// <summary>A root message: request (CALL payload) or response (CALLRESULT payload) of an action.</summary>
    internal sealed record MessageModel(string Action, bool IsRequest, string ResponseTypeName, string SchemaFile, string Section);

    internal sealed record ActionModel(string Name, string RequestTypeName, string ResponseTypeName, string Direction, string Profile, string Section);

    internal sealed record DiagnosticModel(string Id, string Message, string File);

    internal sealed record GeneratorModel(
        EquatableArray<ObjectTypeModel> Types,
        EquatableArray<EnumTypeModel> Enums,
        EquatableArray<ObjectShape> Shapes,
        EquatableArray<EnumShape> EnumShapes,
        EquatableArray<ActionModel> Actions,
        EquatableArray<DiagnosticModel> Diagnostics);
}
