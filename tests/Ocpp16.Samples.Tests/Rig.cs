namespace Ocpp16.Samples.Tests;

/// <summary>A running MinimalCsms, its API client, and the DcCharger processes started against it.</summary>
internal sealed class Rig : IAsyncDisposable
{
    private readonly List<SampleProcess> _chargers = [];

    private Rig(SampleProcess csms, CsmsClient api)
    {
        Csms = csms;
        Api = api;
    }

    public SampleProcess Csms { get; }

    public CsmsClient Api { get; }

    /// <summary>The CSMS and every charger, for failure messages.</summary>
    public SampleProcess[] All => [Csms, .. _chargers];

    /// <summary>Starts MinimalCsms on a free loopback port and waits until its API answers.</summary>
    public static Task<Rig> StartAsync(params string[] csmsArguments) => StartAsync(_ => csmsArguments);

    /// <summary>As <see cref="StartAsync(string[])"/>, with arguments that depend on the HTTP port (e.g. a <c>--urls</c> that adds an https one).</summary>
    public static async Task<Rig> StartAsync(Func<int, string[]> csmsArguments)
    {
        // A port that was free a moment ago may be taken by the time Kestrel binds it: then try another one.
        for (var attempt = 1; ; attempt++)
        {
            var port = Samples.FreePort();
            var csms = SampleProcess.StartMinimalCsms(port, csmsArguments(port));
            var rig = new Rig(csms, new CsmsClient(port));
            try
            {
                await rig.Api.WaitUntilReadyAsync(csms, TimeSpan.FromSeconds(30));
                return rig;
            }
            catch (Exception) when (attempt < 3 && csms.HasExited && csms.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await rig.DisposeAsync();
            }
            catch
            {
                await rig.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Starts a DcCharger against this CSMS (does not wait for it to connect).</summary>
    public SampleProcess StartCharger(string id, params string[] arguments)
    {
        var charger = SampleProcess.StartDcCharger(Api.Port, id, arguments);
        _chargers.Add(charger);
        return charger;
    }

    /// <summary>Starts a DcCharger and waits until the CSMS lists it with connectors 0, 1, 2 Available.</summary>
    public async Task<SampleProcess> StartConnectedChargerAsync(string id, params string[] arguments)
    {
        var charger = StartCharger(id, arguments);
        await Api.WaitForChargePointAvailableAsync(id, All);
        return charger;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var charger in _chargers)
        {
            await charger.DisposeAsync();
        }

        await Csms.DisposeAsync();
        Api.Dispose();
    }
}
