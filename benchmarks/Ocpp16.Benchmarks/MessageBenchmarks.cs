using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NJsonSchema;
using Ocpp16.Messages;
using P = Ocpp16.Benchmarks.Pocos;

namespace Ocpp16.Benchmarks;

/// <summary>
/// Issue 3's message-layer benchmarks. Per message (one BenchmarkDotNet category each):
/// <list type="bullet">
/// <item><c>Ocpp16 read+validate</c>: the generated <c>TryRead</c> (strict schema validation while reading; baseline of the category).</item>
/// <item><c>Ocpp16 write</c>: the generated <c>WriteTo</c> into a reused <see cref="ArrayBufferWriter{T}"/>.</item>
/// <item><c>NJsonSchema validate</c>: NJsonSchema 10.6.10 validating the same JSON text (includes its Newtonsoft parse).</item>
/// <item><c>STJ reflection deserialize/serialize</c>: System.Text.Json, reflection metadata, into plain classes, no validation.</item>
/// </list>
/// Both writers use the transport's writer options (relaxed escaping, structural validation on).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
public class MessageBenchmarks
{
    /// <summary>Reflection-based serializer options: camelCase, enums as strings, nulls omitted, no source-generated context.</summary>
    public static readonly JsonSerializerOptions StjOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>Same as Ocpp16.Transport's OcppFrameBuffer.</summary>
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private Utf8JsonWriter _writer = null!;

    private byte[] _bootNotificationJson = null!;
    private string _bootNotificationString = null!;
    private JsonSchema _bootNotificationSchema = null!;
    private BootNotificationRequest _bootNotification = null!;
    private P.BootNotificationReq _bootNotificationPoco = null!;
    private byte[] _meterValuesJson = null!;
    private string _meterValuesString = null!;
    private JsonSchema _meterValuesSchema = null!;
    private MeterValuesRequest _meterValues = null!;
    private P.MeterValuesReq _meterValuesPoco = null!;
    private byte[] _stopTransactionJson = null!;
    private string _stopTransactionString = null!;
    private JsonSchema _stopTransactionSchema = null!;
    private StopTransactionRequest _stopTransaction = null!;
    private P.StopTransactionReq _stopTransactionPoco = null!;
    private byte[] _setChargingProfileJson = null!;
    private string _setChargingProfileString = null!;
    private JsonSchema _setChargingProfileSchema = null!;
    private SetChargingProfileRequest _setChargingProfile = null!;
    private P.SetChargingProfileReq _setChargingProfilePoco = null!;
    private byte[] _sendLocalListJson = null!;
    private string _sendLocalListString = null!;
    private JsonSchema _sendLocalListSchema = null!;
    private SendLocalListRequest _sendLocalList = null!;
    private P.SendLocalListReq _sendLocalListPoco = null!;
    private byte[] _getConfigurationConfJson = null!;
    private string _getConfigurationConfString = null!;
    private JsonSchema _getConfigurationConfSchema = null!;
    private GetConfigurationResponse _getConfigurationConf = null!;
    private P.GetConfigurationConf _getConfigurationConfPoco = null!;

    [GlobalSetup]
    public void Setup()
    {
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
        _bootNotificationJson = Payloads.BootNotification();
        _bootNotificationString = Encoding.UTF8.GetString(_bootNotificationJson);
        _bootNotificationSchema = LoadSchema("BootNotification.json");
        _bootNotification = Prove<BootNotificationRequest>(_bootNotificationJson, _bootNotificationSchema, "BootNotification");
        _bootNotificationPoco = JsonSerializer.Deserialize<P.BootNotificationReq>(_bootNotificationJson, StjOptions)!;
        _meterValuesJson = Payloads.MeterValues();
        _meterValuesString = Encoding.UTF8.GetString(_meterValuesJson);
        _meterValuesSchema = LoadSchema("MeterValues.json");
        _meterValues = Prove<MeterValuesRequest>(_meterValuesJson, _meterValuesSchema, "MeterValues");
        _meterValuesPoco = JsonSerializer.Deserialize<P.MeterValuesReq>(_meterValuesJson, StjOptions)!;
        _stopTransactionJson = Payloads.StopTransaction();
        _stopTransactionString = Encoding.UTF8.GetString(_stopTransactionJson);
        _stopTransactionSchema = LoadSchema("StopTransaction.json");
        _stopTransaction = Prove<StopTransactionRequest>(_stopTransactionJson, _stopTransactionSchema, "StopTransaction");
        _stopTransactionPoco = JsonSerializer.Deserialize<P.StopTransactionReq>(_stopTransactionJson, StjOptions)!;
        _setChargingProfileJson = Payloads.SetChargingProfile();
        _setChargingProfileString = Encoding.UTF8.GetString(_setChargingProfileJson);
        _setChargingProfileSchema = LoadSchema("SetChargingProfile.json");
        _setChargingProfile = Prove<SetChargingProfileRequest>(_setChargingProfileJson, _setChargingProfileSchema, "SetChargingProfile");
        _setChargingProfilePoco = JsonSerializer.Deserialize<P.SetChargingProfileReq>(_setChargingProfileJson, StjOptions)!;
        _sendLocalListJson = Payloads.SendLocalList();
        _sendLocalListString = Encoding.UTF8.GetString(_sendLocalListJson);
        _sendLocalListSchema = LoadSchema("SendLocalList.json");
        _sendLocalList = Prove<SendLocalListRequest>(_sendLocalListJson, _sendLocalListSchema, "SendLocalList");
        _sendLocalListPoco = JsonSerializer.Deserialize<P.SendLocalListReq>(_sendLocalListJson, StjOptions)!;
        _getConfigurationConfJson = Payloads.GetConfigurationConf();
        _getConfigurationConfString = Encoding.UTF8.GetString(_getConfigurationConfJson);
        _getConfigurationConfSchema = LoadSchema("GetConfigurationResponse.json");
        _getConfigurationConf = Prove<GetConfigurationResponse>(_getConfigurationConfJson, _getConfigurationConfSchema, "GetConfigurationConf");
        _getConfigurationConfPoco = JsonSerializer.Deserialize<P.GetConfigurationConf>(_getConfigurationConfJson, StjOptions)!;
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    // ---- BootNotification ----

    [Benchmark(Baseline = true, Description = "Ocpp16 read+validate"), BenchmarkCategory("BootNotification")]
    public BootNotificationRequest? BootNotification_Ocpp16Read()
        => BootNotificationRequest.TryRead(_bootNotificationJson, out var value, out _) ? value : null;

    [Benchmark(Description = "Ocpp16 write"), BenchmarkCategory("BootNotification")]
    public int BootNotification_Ocpp16Write()
    {
        ResetWriter();
        _bootNotification.WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "NJsonSchema validate"), BenchmarkCategory("BootNotification")]
    public int BootNotification_NJsonSchemaValidate() => _bootNotificationSchema.Validate(_bootNotificationString).Count;

    [Benchmark(Description = "STJ reflection deserialize"), BenchmarkCategory("BootNotification")]
    public P.BootNotificationReq? BootNotification_StjDeserialize() => JsonSerializer.Deserialize<P.BootNotificationReq>(_bootNotificationJson, StjOptions);

    [Benchmark(Description = "STJ reflection serialize"), BenchmarkCategory("BootNotification")]
    public int BootNotification_StjSerialize()
    {
        ResetWriter();
        JsonSerializer.Serialize(_writer, _bootNotificationPoco, StjOptions);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    // ---- MeterValues ----

    [Benchmark(Baseline = true, Description = "Ocpp16 read+validate"), BenchmarkCategory("MeterValues")]
    public MeterValuesRequest? MeterValues_Ocpp16Read()
        => MeterValuesRequest.TryRead(_meterValuesJson, out var value, out _) ? value : null;

    [Benchmark(Description = "Ocpp16 write"), BenchmarkCategory("MeterValues")]
    public int MeterValues_Ocpp16Write()
    {
        ResetWriter();
        _meterValues.WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "NJsonSchema validate"), BenchmarkCategory("MeterValues")]
    public int MeterValues_NJsonSchemaValidate() => _meterValuesSchema.Validate(_meterValuesString).Count;

    [Benchmark(Description = "STJ reflection deserialize"), BenchmarkCategory("MeterValues")]
    public P.MeterValuesReq? MeterValues_StjDeserialize() => JsonSerializer.Deserialize<P.MeterValuesReq>(_meterValuesJson, StjOptions);

    [Benchmark(Description = "STJ reflection serialize"), BenchmarkCategory("MeterValues")]
    public int MeterValues_StjSerialize()
    {
        ResetWriter();
        JsonSerializer.Serialize(_writer, _meterValuesPoco, StjOptions);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    // ---- StopTransaction ----

    [Benchmark(Baseline = true, Description = "Ocpp16 read+validate"), BenchmarkCategory("StopTransaction")]
    public StopTransactionRequest? StopTransaction_Ocpp16Read()
        => StopTransactionRequest.TryRead(_stopTransactionJson, out var value, out _) ? value : null;

    [Benchmark(Description = "Ocpp16 write"), BenchmarkCategory("StopTransaction")]
    public int StopTransaction_Ocpp16Write()
    {
        ResetWriter();
        _stopTransaction.WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "NJsonSchema validate"), BenchmarkCategory("StopTransaction")]
    public int StopTransaction_NJsonSchemaValidate() => _stopTransactionSchema.Validate(_stopTransactionString).Count;

    [Benchmark(Description = "STJ reflection deserialize"), BenchmarkCategory("StopTransaction")]
    public P.StopTransactionReq? StopTransaction_StjDeserialize() => JsonSerializer.Deserialize<P.StopTransactionReq>(_stopTransactionJson, StjOptions);

    [Benchmark(Description = "STJ reflection serialize"), BenchmarkCategory("StopTransaction")]
    public int StopTransaction_StjSerialize()
    {
        ResetWriter();
        JsonSerializer.Serialize(_writer, _stopTransactionPoco, StjOptions);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    // ---- SetChargingProfile ----

    [Benchmark(Baseline = true, Description = "Ocpp16 read+validate"), BenchmarkCategory("SetChargingProfile")]
    public SetChargingProfileRequest? SetChargingProfile_Ocpp16Read()
        => SetChargingProfileRequest.TryRead(_setChargingProfileJson, out var value, out _) ? value : null;

    [Benchmark(Description = "Ocpp16 write"), BenchmarkCategory("SetChargingProfile")]
    public int SetChargingProfile_Ocpp16Write()
    {
        ResetWriter();
        _setChargingProfile.WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "NJsonSchema validate"), BenchmarkCategory("SetChargingProfile")]
    public int SetChargingProfile_NJsonSchemaValidate() => _setChargingProfileSchema.Validate(_setChargingProfileString).Count;

    [Benchmark(Description = "STJ reflection deserialize"), BenchmarkCategory("SetChargingProfile")]
    public P.SetChargingProfileReq? SetChargingProfile_StjDeserialize() => JsonSerializer.Deserialize<P.SetChargingProfileReq>(_setChargingProfileJson, StjOptions);

    [Benchmark(Description = "STJ reflection serialize"), BenchmarkCategory("SetChargingProfile")]
    public int SetChargingProfile_StjSerialize()
    {
        ResetWriter();
        JsonSerializer.Serialize(_writer, _setChargingProfilePoco, StjOptions);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    // ---- SendLocalList ----

    [Benchmark(Baseline = true, Description = "Ocpp16 read+validate"), BenchmarkCategory("SendLocalList")]
    public SendLocalListRequest? SendLocalList_Ocpp16Read()
        => SendLocalListRequest.TryRead(_sendLocalListJson, out var value, out _) ? value : null;

    [Benchmark(Description = "Ocpp16 write"), BenchmarkCategory("SendLocalList")]
    public int SendLocalList_Ocpp16Write()
    {
        ResetWriter();
        _sendLocalList.WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "NJsonSchema validate"), BenchmarkCategory("SendLocalList")]
    public int SendLocalList_NJsonSchemaValidate() => _sendLocalListSchema.Validate(_sendLocalListString).Count;

    [Benchmark(Description = "STJ reflection deserialize"), BenchmarkCategory("SendLocalList")]
    public P.SendLocalListReq? SendLocalList_StjDeserialize() => JsonSerializer.Deserialize<P.SendLocalListReq>(_sendLocalListJson, StjOptions);

    [Benchmark(Description = "STJ reflection serialize"), BenchmarkCategory("SendLocalList")]
    public int SendLocalList_StjSerialize()
    {
        ResetWriter();
        JsonSerializer.Serialize(_writer, _sendLocalListPoco, StjOptions);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    // ---- GetConfigurationConf ----

    [Benchmark(Baseline = true, Description = "Ocpp16 read+validate"), BenchmarkCategory("GetConfigurationConf")]
    public GetConfigurationResponse? GetConfigurationConf_Ocpp16Read()
        => GetConfigurationResponse.TryRead(_getConfigurationConfJson, out var value, out _) ? value : null;

    [Benchmark(Description = "Ocpp16 write"), BenchmarkCategory("GetConfigurationConf")]
    public int GetConfigurationConf_Ocpp16Write()
    {
        ResetWriter();
        _getConfigurationConf.WriteTo(_writer);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "NJsonSchema validate"), BenchmarkCategory("GetConfigurationConf")]
    public int GetConfigurationConf_NJsonSchemaValidate() => _getConfigurationConfSchema.Validate(_getConfigurationConfString).Count;

    [Benchmark(Description = "STJ reflection deserialize"), BenchmarkCategory("GetConfigurationConf")]
    public P.GetConfigurationConf? GetConfigurationConf_StjDeserialize() => JsonSerializer.Deserialize<P.GetConfigurationConf>(_getConfigurationConfJson, StjOptions);

    [Benchmark(Description = "STJ reflection serialize"), BenchmarkCategory("GetConfigurationConf")]
    public int GetConfigurationConf_StjSerialize()
    {
        ResetWriter();
        JsonSerializer.Serialize(_writer, _getConfigurationConfPoco, StjOptions);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    private void ResetWriter()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
    }

    /// <summary>Loads a schema once from <c>src/Ocpp16.Messages/Schemas</c>.</summary>
    public static JsonSchema LoadSchema(string fileName)
    {
        var path = Path.Combine(RepoRoot.Find(), "src", "Ocpp16.Messages", "Schemas", fileName);
        return JsonSchema.FromJsonAsync(File.ReadAllText(path)).GetAwaiter().GetResult();
    }

    /// <summary>Throws unless both the generated reader and NJsonSchema accept the payload; returns the typed value.</summary>
    public static T Prove<T>(byte[] json, JsonSchema schema, string name)
        where T : class, IOcppMessageReader<T>
    {
        if (!T.TryRead(json, null, out var value, out var violation))
        {
            throw new InvalidOperationException($"{name}: the generated reader rejects the benchmark payload: {violation}");
        }

        var errors = schema.Validate(Encoding.UTF8.GetString(json));
        if (errors.Count != 0)
        {
            throw new InvalidOperationException($"{name}: NJsonSchema rejects the benchmark payload: {string.Join("; ", errors)}");
        }

        return value;
    }
}
