using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ocpp16.CentralSystem.Cluster;
using Ocpp16.CentralSystem.RabbitMq;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>AddRabbitMqScaleOut: options bound from one configuration section and validated at start, each problem named.</summary>
public sealed class RabbitMqScaleOutOptionsTests
{
    [Fact]
    public void Configuration_BindsTheBrokerAndTheClusterOptionsFromOneSection()
    {
        var provider = Build(new()
        {
            ["ScaleOut:RabbitMq"] = "amqp://user:secret@broker.example:5673/ocpp",
            ["ScaleOut:Exchange"] = "fleet-1",
            ["ScaleOut:RecoveryInterval"] = "00:00:05",
            ["ScaleOut:NodeId"] = "node-7",
            ["ScaleOut:HeartbeatInterval"] = "00:00:02",
            ["ScaleOut:NodeTimeout"] = "00:00:06",
        });

        var broker = provider.GetRequiredService<IOptions<RabbitMqScaleOutOptions>>().Value;
        var cluster = provider.GetRequiredService<IOptions<OcppClusterOptions>>().Value;
        Assert.Equal(new Uri("amqp://user:secret@broker.example:5673/ocpp"), broker.Broker);
        Assert.Equal("fleet-1", broker.Exchange);
        Assert.Equal(TimeSpan.FromSeconds(5), broker.RecoveryInterval);
        Assert.Equal("node-7", cluster.NodeId);
        Assert.Equal(TimeSpan.FromSeconds(2), cluster.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(6), cluster.NodeTimeout);
    }

    [Theory]
    [InlineData(null, null, "RabbitMqScaleOutOptions.Broker is required")]
    [InlineData("not a uri", null, "is not a valid URI")]
    [InlineData("amqp://u:s3cret@h:bad/", null, "is not a valid URI")]
    [InlineData("http://u:s3cret@broker.example/", null, "must be an amqp:// or amqps:// URI")]
    [InlineData("amqp://u:s3cret@localhost/", "bad exchange!", "RabbitMqScaleOutOptions.Exchange")]
    public void InvalidOptions_FailValidation_NamingTheOption(string? broker, string? exchange, string expected)
    {
        var values = new Dictionary<string, string?>();
        if (broker is not null)
        {
            values["ScaleOut:RabbitMq"] = broker;
        }

        if (exchange is not null)
        {
            values["ScaleOut:Exchange"] = exchange;
        }

        var provider = Build(values);
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RabbitMqScaleOutOptions>>().Value);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidClusterOptions_FromConfiguration_FailValidation()
    {
        var provider = Build(new() { ["ScaleOut:RabbitMq"] = "amqp://localhost/", ["ScaleOut:HeartbeatInterval"] = "00:00:02", ["ScaleOut:NodeTimeout"] = "00:00:03" });
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OcppClusterOptions>>().Value);
        Assert.Contains("NodeTimeout", e.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOcpp16CentralSystem().AddRabbitMqScaleOut(configuration.GetSection("ScaleOut"));
        return services.BuildServiceProvider();
    }
}
