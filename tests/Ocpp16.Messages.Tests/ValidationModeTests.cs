using Ocpp16.Messages.Tests.Infrastructure;

namespace Ocpp16.Messages.Tests;

/// <summary>Strict (default), Lenient and Off validation modes (docs/wire-behaviour.md, "Validation strictness").</summary>
public sealed class ValidationModeTests
{
    private static readonly OcppValidationOptions Lenient = new() { Mode = OcppValidationMode.Lenient };
    private static readonly OcppValidationOptions Off = new() { Mode = OcppValidationMode.Off };

    /// <summary>Constraint violations after which a typed value can still be built.</summary>
    public static IEnumerable<object[]> RepresentableMutations()
        => MutationCatalog.Rows(MutationKind.TooLong, MutationKind.ExtraProperty, MutationKind.EmptyArray, MutationKind.NotMultipleOfTenth);

    /// <summary>Violations that leave no value to build: rejected in every mode.</summary>
    public static IEnumerable<object[]> FatalMutations()
        => MutationCatalog.Rows(MutationKind.RequiredRemoved, MutationKind.WrongType, MutationKind.NullValue, MutationKind.IntegerWithFraction, MutationKind.EnumNotInList, MutationKind.EnumWrongCase, MutationKind.MalformedDateTime, MutationKind.InvalidCalendarDate);

    [Fact]
    public void Default_options_are_strict_and_exact_on_multipleOf()
    {
        Assert.Equal(OcppValidationMode.Strict, new OcppValidationOptions().Mode);
        Assert.False(new OcppValidationOptions().TolerateMultipleOf);
        Assert.Equal(OcppValidationMode.Strict, OcppValidationOptions.Strict.Mode);
        Assert.False(OcppValidationOptions.Strict.TolerateMultipleOf);
    }

    [Fact]
    public void Lenient_accepts_a_too_long_string_and_reports_it_while_Strict_rejects_it()
    {
        var json = JsonTestHelpers.Utf8("{\"idTag\":\"" + new string('A', 21) + "\"}");

        Assert.False(AuthorizeRequest.TryRead(json, null, out var strictValue, out var strictViolation));
        Assert.Null(strictValue);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, strictViolation!.ErrorCode);
        Assert.Equal("$.idTag", strictViolation.Path);

        Assert.False(AuthorizeRequest.TryRead(json, OcppValidationOptions.Strict, out _, out _));

        Assert.True(AuthorizeRequest.TryRead(json, Lenient, out var lenientValue, out var lenientViolation));
        Assert.Equal(new string('A', 21), lenientValue!.IdTag);
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, lenientViolation!.ErrorCode);
        Assert.Equal("$.idTag", lenientViolation.Path);

        Assert.True(AuthorizeRequest.TryRead(json, Off, out var offValue, out var offViolation));
        Assert.Equal(new string('A', 21), offValue!.IdTag);
        Assert.Null(offViolation);
    }

    [Fact]
    public void Lenient_TryValidate_accepts_a_too_long_string_and_reports_it()
    {
        var request = new AuthorizeRequest { IdTag = new string('A', 21) };

        Assert.False(request.TryValidate(null, out var strict));
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, strict!.ErrorCode);
        Assert.Equal("$.idTag", strict.Path);

        Assert.True(request.TryValidate(Lenient, out var lenient));
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, lenient!.ErrorCode);
        Assert.Equal("$.idTag", lenient.Path);

        Assert.True(request.TryValidate(Off, out var off));
        Assert.Null(off);
    }

    [Theory]
    [MemberData(nameof(RepresentableMutations))]
    public void Lenient_accepts_a_representable_violation_and_reports_it(string schemaFile, string mutationId)
    {
        var mutation = MutationCatalog.Find(schemaFile, mutationId);
        var payload = JsonTestHelpers.Utf8(mutation.Apply());
        var reader = SchemaRepository.ReaderFor(schemaFile);

        Assert.False(reader(payload, null, out _, out _), "strict accepted " + mutation);

        Assert.True(reader(payload, Lenient, out var value, out var violation), $"lenient rejected {mutation}: {violation}");
        Assert.NotNull(value);
        Assert.NotNull(violation);
        Assert.Equal(mutation.ExpectedCode, violation.ErrorCode);
        Assert.Equal(mutation.ExpectedPath, violation.Path);

        Assert.True(reader(payload, Off, out var offValue, out var offViolation), $"off rejected {mutation}: {offViolation}");
        Assert.NotNull(offValue);
        Assert.Null(offViolation);
    }

    [Theory]
    [MemberData(nameof(FatalMutations))]
    public void Lenient_and_Off_still_reject_what_no_typed_value_can_hold(string schemaFile, string mutationId)
    {
        var mutation = MutationCatalog.Find(schemaFile, mutationId);
        var payload = JsonTestHelpers.Utf8(mutation.Apply());
        var reader = SchemaRepository.ReaderFor(schemaFile);

        foreach (var options in new[] { Lenient, Off })
        {
            Assert.False(reader(payload, options, out var value, out var violation), $"{options.Mode} accepted {mutation}");
            Assert.Null(value);
            Assert.Equal(mutation.ExpectedCode, violation!.ErrorCode);
            Assert.Equal(mutation.ExpectedPath, violation.Path);
        }
    }

    [Fact]
    public void Lenient_rejection_reports_the_violation_that_caused_the_rejection()
    {
        // idTag too long (tolerated in Lenient) and meterStart missing (not tolerable). The payload is rejected
        // because meterStart is missing, so the violation handed back -- the one that becomes the CALLERROR -- must be
        // the OccurenceConstraintViolation at $.meterStart, not the tolerated maxLength violation.
        var json = "{\"connectorId\":1,\"idTag\":\"" + new string('A', 21) + "\",\"timestamp\":\"2026-11-21T10:15:30.123Z\"}";

        var ok = StartTransactionRequest.TryRead(JsonTestHelpers.Utf8(json), Lenient, out var value, out var violation);

        Assert.False(ok);
        Assert.Null(value);
        Assert.Equal(OcppErrorCode.OccurenceConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.meterStart", violation.Path);
    }

    [Fact]
    public void Lenient_TryValidate_failure_reports_the_violation_that_caused_the_failure()
    {
        // chargePointVendor too long (tolerated in Lenient), chargePointModel missing (cannot be written). TryValidate
        // fails because of the missing model, so that is the violation it must hand back.
        var request = new BootNotificationRequest { ChargePointVendor = new string('V', 21), ChargePointModel = null! };

        var ok = request.TryValidate(Lenient, out var violation);

        Assert.False(ok);
        Assert.Equal(OcppErrorCode.OccurenceConstraintViolation, violation!.ErrorCode);
        Assert.Equal("$.chargePointModel", violation.Path);
    }
}
