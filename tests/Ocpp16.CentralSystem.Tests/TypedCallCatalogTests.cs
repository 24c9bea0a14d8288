using System.Reflection;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem.Tests;

/// <summary>The typed API is complete: compared with the action catalog, so no action can be missing.</summary>
public sealed class TypedCallCatalogTests
{
    [Fact]
    public void EveryCentralSystemToChargePointAction_HasATypedCallWithOptionalTimeout()
    {
        var sent = OcppActions.All.Where(a => a.Direction != OcppMessageDirection.ChargePointToCentralSystem).ToList();
        Assert.Equal(26, sent.Count);
        foreach (var action in sent)
        {
            var method = typeof(ConnectedChargePoint).GetMethod(action.Name + "Async", BindingFlags.Public | BindingFlags.Instance, [action.RequestType, typeof(TimeSpan?), typeof(CancellationToken)]);
            Assert.True(method is not null, $"{action.Name}Async({action.RequestType.Name}, TimeSpan?, CancellationToken) is missing");
            Assert.Equal(typeof(Task<>).MakeGenericType(action.ResponseType), method!.ReturnType);
            Assert.All(method.GetParameters().Skip(1), p => Assert.True(p.HasDefaultValue, $"{action.Name}: {p.Name} is not optional"));

            var shortForm = typeof(ConnectedChargePoint).GetMethod(action.Name + "Async", BindingFlags.Public | BindingFlags.Instance, [action.RequestType, typeof(CancellationToken)]);
            Assert.True(shortForm is not null, $"{action.Name}Async({action.RequestType.Name}, CancellationToken) is missing");
        }

        // No typed call for an action the Central System does not send.
        var names = sent.Select(a => a.Name + "Async").ToHashSet(StringComparer.Ordinal);
        var requestTyped = typeof(ConnectedChargePoint).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetParameters() is [{ ParameterType: var t }, ..] && typeof(IOcppRequest).IsAssignableFrom(t) && m.Name.EndsWith("Async", StringComparison.Ordinal) && m.Name is not "CallAsync" and not "SendAsync");
        Assert.All(requestTyped, m => Assert.Contains(m.Name, names));
    }

    [Fact]
    public void EveryChargePointToCentralSystemAction_HasABindingWithItsProfileInterface()
    {
        var received = OcppActions.All.Where(a => a.Direction != OcppMessageDirection.CentralSystemToChargePoint).ToDictionary(a => a.Name);
        Assert.Equal(14, received.Count);
        var bound = ChargePointActionBindings.All.ToDictionary(b => b.Action);
        Assert.Equal(received.Keys.Order(StringComparer.Ordinal), bound.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, binding) in bound)
        {
            Assert.Equal(HandlerRegistrations.InterfaceFor(received[name].Profile), binding.HandlerInterface);
            var method = binding.HandlerInterface.GetMethod("On" + name + "Async");
            Assert.True(method is not null, $"{binding.HandlerInterface.Name}.On{name}Async is missing");
        }

        // The actions that need the application's decision have no default; every notification has one.
        Assert.Equal(
            ["Authorize", "SignCertificate", "StartTransaction"],
            bound.Values.Where(b => !b.HasDefault).Select(b => b.Action).Order(StringComparer.Ordinal));
    }
}
