using System.Collections;
using System.Reflection;
using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests;

/// <summary>
/// <see cref="IOcppMessage.TryValidate"/> on objects built (or changed) in code finds the same violations, with the same
/// codes and paths, as the reader finds in JSON. The objects are changed by reflection, guided by the schema mutations.
/// </summary>
public sealed class TypedValidationTests
{
    private static readonly MutationKind[] TypedKinds =
        [MutationKind.TooLong, MutationKind.RequiredRemoved, MutationKind.EmptyArray, MutationKind.NotMultipleOfTenth, MutationKind.EnumNotInList];

    public static IEnumerable<object[]> TypedMutations()
        => MutationCatalog.All.Where(m => TypedKinds.Contains(m.Kind) && IsRepresentable(m)).Select(m => new object[] { m.FileName, m.Id });

    public static IEnumerable<object[]> Schemas() => SchemaRepository.AllFileNames();

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Every_schema_property_has_a_generated_property(string schemaFile)
    {
        var type = SchemaRepository.TypeFor(schemaFile);
        var places = MutationCatalog.For(schemaFile).Where(m => m.Kind == MutationKind.WrongType).ToList();
        foreach (var place in places)
        {
            Assert.True(TypeAt(type, place.Steps) is not null, $"{type.Name} has no property for {place.ExpectedPath}");
        }
    }

    [Theory]
    [MemberData(nameof(TypedMutations))]
    public void TryValidate_reports_the_violation_with_the_code_and_path_of_the_reader(string schemaFile, string mutationId)
    {
        var mutation = MutationCatalog.Find(schemaFile, mutationId);
        var message = ReadFull(schemaFile);
        Assert.True(message.TryValidate(null, out var before), before?.ToString());

        Set(message, mutation.Steps, ValueFor(mutation, TypeAt(message.GetType(), mutation.Steps)!));

        Assert.False(message.TryValidate(null, out var violation), mutation + " passed TryValidate");
        Assert.NotNull(violation);
        Assert.Equal(mutation.ExpectedCode, violation.ErrorCode);
        Assert.Equal(mutation.ExpectedPath, violation.Path);
    }

    [Theory]
    [MemberData(nameof(TypedMutations))]
    public void TryValidate_in_Off_mode_only_rejects_what_cannot_be_written(string schemaFile, string mutationId)
    {
        var mutation = MutationCatalog.Find(schemaFile, mutationId);
        var message = ReadFull(schemaFile);
        Set(message, mutation.Steps, ValueFor(mutation, TypeAt(message.GetType(), mutation.Steps)!));

        var ok = message.TryValidate(new OcppValidationOptions { Mode = OcppValidationMode.Off }, out var violation);

        // Off still needs required values and defined enum members; maxLength, minItems and multipleOf are not checked.
        var structural = mutation.Kind is MutationKind.RequiredRemoved or MutationKind.EnumNotInList;
        Assert.Equal(!structural, ok);
        Assert.Equal(structural, violation is not null);
    }

    internal static IOcppMessage ReadFull(string schemaFile)
    {
        var ok = SchemaRepository.ReaderFor(schemaFile)(JsonTestHelpers.Utf8(SampleGenerator.Full(schemaFile)), null, out var message, out var violation);
        Assert.True(ok, violation?.ToString());
        return message!;
    }

    internal static string PropertyName(string jsonName) => char.ToUpperInvariant(jsonName[0]) + jsonName[1..];

    /// <summary>The declared CLR type at <paramref name="steps"/> below <paramref name="root"/>, or null when a property is missing.</summary>
    internal static Type? TypeAt(Type root, IReadOnlyList<object> steps)
    {
        var type = root;
        foreach (var step in steps)
        {
            if (step is int)
            {
                type = type.GetInterfaces().Append(type)
                    .Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
                    .GetGenericArguments()[0];
            }
            else
            {
                var property = type.GetProperty(PropertyName((string)step), BindingFlags.Public | BindingFlags.Instance);
                if (property is null)
                {
                    return null;
                }

                type = property.PropertyType;
            }
        }

        return type;
    }

    internal static void Set(object root, IReadOnlyList<object> steps, object? value)
    {
        var parent = root;
        foreach (var step in steps.Take(steps.Count - 1))
        {
            parent = step is int i
                ? ((IList)parent)[i]!
                : parent.GetType().GetProperty(PropertyName((string)step))!.GetValue(parent)!;
        }

        if (steps[^1] is int index)
        {
            ((IList)parent)[index] = value;
        }
        else
        {
            parent.GetType().GetProperty(PropertyName((string)steps[^1]))!.SetValue(parent, value);
        }
    }

    private static bool IsRepresentable(Mutation m)
    {
        var type = TypeAt(SchemaRepository.TypeFor(m.FileName), m.Steps);
        if (type is null)
        {
            return false;
        }

        return m.Kind switch
        {
            MutationKind.RequiredRemoved => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null,
            MutationKind.EnumNotInList => (Nullable.GetUnderlyingType(type) ?? type).IsEnum,
            _ => true,
        };
    }

    private static object? ValueFor(Mutation m, Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        switch (m.Kind)
        {
            case MutationKind.TooLong:
            case MutationKind.NotMultipleOfTenth:
                return m.Kind == MutationKind.TooLong ? m.NewValue!.GetValue<string>() : 7.35m;
            case MutationKind.RequiredRemoved:
                return null;
            case MutationKind.EmptyArray:
                var item = TypeAt(type, [0])!;
                return Activator.CreateInstance(typeof(List<>).MakeGenericType(item));
            case MutationKind.EnumNotInList:
                return Enum.ToObject(underlying, 999);
            default:
                throw new NotSupportedException(m.Kind.ToString());
        }
    }
}
