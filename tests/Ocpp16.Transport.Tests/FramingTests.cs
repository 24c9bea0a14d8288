using System.Text;
using Ocpp16.Messages;
using Ocpp16.Transport.Framing;

namespace Ocpp16.Transport.Tests;

public sealed class FramingTests
{
    private static string Write(Action<System.Text.Json.Utf8JsonWriter> write)
    {
        var buffer = OcppFrameBuffer.Rent();
        try
        {
            write(buffer.Writer);
            return Encoding.UTF8.GetString(buffer.WrittenMemory.Span);
        }
        finally
        {
            OcppFrameBuffer.Return(buffer);
        }
    }

    [Fact]
    public void WriteCallError_WithoutDetails_WritesEmptyObjectAndNoWhitespace()
    {
        Assert.Equal("[4,\"x\",\"NotImplemented\",\"desc\",{}]", Write(w => OcppFrameWriter.WriteCallError(w, "x", "NotImplemented", "desc", null)));
    }

    [Fact]
    public void WriteCallError_WithDetails_WritesDetailsObject()
    {
        Assert.Equal("[4,\"x\",\"GenericError\",\"\",{\"a\":1}]", Write(w => OcppFrameWriter.WriteCallError(w, "x", "GenericError", null, new RawJson("{\"a\":1}"))));
    }

    [Fact]
    public void WriteCall_WritesExactBytes()
    {
        Assert.Equal("[2,\"19223201\",\"BootNotification\",{\"chargePointVendor\":\"VendorX\",\"chargePointModel\":\"SingleSocketCharger\"}]",
            Write(w => OcppFrameWriter.WriteCall(w, "19223201", "BootNotification", new RawJson("{\"chargePointVendor\":\"VendorX\",\"chargePointModel\":\"SingleSocketCharger\"}"))));
    }

    [Fact]
    public void WriteCallResult_WritesExactBytes()
    {
        Assert.Equal("[3,\"id-1\",{}]", Write(w => OcppFrameWriter.WriteCallResult(w, "id-1", new RawJson("{}"))));
    }

    [Fact]
    public void WriteCallError_UsesRelaxedEscaping()
    {
        Assert.Equal("[4,\"x\",\"GenericError\",\"déjà <vu> & 'quoted'\",{}]",
            Write(w => OcppFrameWriter.WriteCallError(w, "x", "GenericError", "déjà <vu> & 'quoted'", null)));
    }

    [Fact]
    public void FrameBuffer_AfterFailedWrite_IsReusable()
    {
        var buffer = OcppFrameBuffer.Rent();
        Assert.Throws<InvalidOperationException>(() => OcppFrameWriter.WriteCallResult(buffer.Writer, "a", new ThrowingJson()));
        buffer.Reset();
        OcppFrameWriter.WriteCallResult(buffer.Writer, "b", new RawJson("{}"));
        Assert.Equal("[3,\"b\",{}]", Encoding.UTF8.GetString(buffer.WrittenMemory.Span));
        OcppFrameBuffer.Return(buffer);
    }

    [Fact]
    public void Parse_Call_RecoversFields()
    {
        var bytes = Encoding.UTF8.GetBytes("[2, \"abc\" ,\"Heartbeat\", {\"a\":[1,{}]} ]");
        var frame = OcppFrameParser.Parse(bytes);
        Assert.Equal(OcppFrameKind.Call, frame.Kind);
        Assert.Equal("abc", frame.UniqueId);
        Assert.Equal("Heartbeat", frame.Action);
        Assert.Equal("{\"a\":[1,{}]}", Encoding.UTF8.GetString(bytes, frame.PayloadOffset, frame.PayloadLength));
    }

    [Fact]
    public void Parse_CallError_RecoversFields()
    {
        var bytes = Encoding.UTF8.GetBytes("[4,\"abc\",\"NotSupported\",\"no \\\"way\\\"\",{\"k\":\"v\"}]");
        var frame = OcppFrameParser.Parse(bytes);
        Assert.Equal(OcppFrameKind.CallError, frame.Kind);
        Assert.Equal("NotSupported", frame.ErrorCode);
        Assert.Equal("no \"way\"", frame.ErrorDescription);
        Assert.Equal("{\"k\":\"v\"}", Encoding.UTF8.GetString(bytes, frame.PayloadOffset, frame.PayloadLength));
    }

    [Fact]
    public void Parse_CallErrorWithoutDetails_IsAccepted()
    {
        var frame = OcppFrameParser.Parse("[4,\"abc\",\"NotSupported\",\"x\"]"u8);
        Assert.Equal(OcppFrameKind.CallError, frame.Kind);
        Assert.Equal(0, frame.PayloadLength);
    }

    [Fact]
    public void Parse_CallResult_AnyJsonPayloadIsPassedOn()
    {
        var bytes = Encoding.UTF8.GetBytes("[3,\"abc\",\"text\"]");
        var frame = OcppFrameParser.Parse(bytes);
        Assert.Equal(OcppFrameKind.CallResult, frame.Kind);
        Assert.Equal("\"text\"", Encoding.UTF8.GetString(bytes, frame.PayloadOffset, frame.PayloadLength));
    }

    [Theory]
    [InlineData("", null, null)]
    [InlineData("not json", null, null)]
    [InlineData("{\"a\":1}", null, null)]
    [InlineData("[]", null, null)]
    [InlineData("[\"2\",\"a\",\"B\",{}]", null, null)]
    [InlineData("[2.5,\"a\",\"B\",{}]", null, null)]
    [InlineData("[2,5,\"Heartbeat\",{}]", null, null)]
    [InlineData("[2,null,\"Heartbeat\",{}]", null, null)]
    [InlineData("[2,\"abc", null, null)]
    [InlineData("[2,\"abc\"", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"abc\",\"Heartbeat\",{", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"abc\",\"Heartbeat\",{}] trailing", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"abc\",\"Heartbeat\",{},{}]", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"abc\",\"Heartbeat\"]", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"abc\",\"Heartbeat\",[]]", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"abc\",\"Heartbeat\",null]", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"abc\",7,{}]", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"abc\"]", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"abc\",\"\",{}]", "abc", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"\",\"Heartbeat\",{}]", "", OcppErrorCode.FormationViolation)]
    [InlineData("[2,\"1234567890123456789012345678901234567\",\"Heartbeat\",{}]", "1234567890123456789012345678901234567", OcppErrorCode.PropertyConstraintViolation)]
    [InlineData("[3,\"abc\"", null, null)]
    [InlineData("[3,\"abc\"]", null, null)]
    [InlineData("[4,\"abc\",5,\"d\",{}]", null, null)]
    [InlineData("[4,\"abc\",\"X\",5,{}]", null, null)]
    public void Parse_Malformed_IsInvalidWithExpectedReply(string text, string? replyId, OcppErrorCode? replyCode)
    {
        var frame = OcppFrameParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(OcppFrameKind.Invalid, frame.Kind);
        Assert.NotNull(frame.Reason);
        Assert.Equal(replyId, frame.ReplyId);
        if (replyCode is not null)
        {
            Assert.Equal(replyCode, frame.ReplyCode);
        }
    }

    [Fact]
    public void Parse_MaxLengthId_IsAccepted()
    {
        var frame = OcppFrameParser.Parse("[2,\"123456789012345678901234567890123456\",\"Heartbeat\",{}]"u8);
        Assert.Equal(OcppFrameKind.Call, frame.Kind);
    }

    [Theory]
    [InlineData("[5,\"abc\",{}]", 5)]
    [InlineData("[0]", 0)]
    [InlineData("[99,garbage", 99)]
    public void Parse_UnknownMessageType_IsReported(string text, int typeId)
    {
        var frame = OcppFrameParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(OcppFrameKind.UnknownType, frame.Kind);
        Assert.Equal(typeId, frame.MessageTypeId);
    }

    [Fact]
    public void Parse_RandomGarbage_NeverThrows()
    {
        var random = new Random(1234);
        var seed = Encoding.UTF8.GetBytes("[2,\"abc\",\"Heartbeat\",{\"a\":[1,2,{\"b\":\"c\"}]}]");
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])seed.Clone();
            var mutations = random.Next(1, 4);
            for (var m = 0; m < mutations; m++)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var length = random.Next(bytes.Length + 1);
            _ = OcppFrameParser.Parse(bytes.AsSpan(0, length));
        }
    }

    [Fact]
    public void Parse_InvalidUtf8InId_DoesNotThrow()
    {
        var frame = OcppFrameParser.Parse([(byte)'[', (byte)'2', (byte)',', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)']']);
        Assert.Equal(OcppFrameKind.Invalid, frame.Kind);
    }
}
