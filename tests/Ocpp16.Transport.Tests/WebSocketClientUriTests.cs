namespace Ocpp16.Transport.Tests;

/// <summary>The URL a charge point connects to: the Central System URL with the escaped identity appended (OCPP-J 1.6 §3.1).</summary>
public sealed class WebSocketClientUriTests
{
    [Theory]
    [InlineData("ws://host/ocpp", "CP1", "ws://host/ocpp/CP1")]
    [InlineData("ws://host/ocpp/", "CP1", "ws://host/ocpp/CP1")]
    [InlineData("http://host:8080", "CP 1/x", "ws://host:8080/CP%201%2Fx")]
    [InlineData("https://host/a/b/", "ä", "wss://host/a/b/%C3%A4")]
    public void BuildUri_AppendsEscapedIdentity(string baseUri, string identity, string expected)
    {
        Assert.Equal(expected, OcppWebSocketClient.BuildUri(new Uri(baseUri), identity).AbsoluteUri);
    }
}
