using Microsoft.Extensions.DependencyInjection;
using Ocpp16.Messages;

namespace Ocpp16.CentralSystem;

/// <summary>
/// What the builder registered to answer CP→CS actions: profile handler interfaces (with their DI lifetime) and
/// delegates per action. One answerer per action: a second registration for an action fails when it is made.
/// </summary>
internal sealed class HandlerRegistrations
{
    private readonly Dictionary<Type, ServiceLifetime> _interfaces = [];
    private readonly Dictionary<string, Delegate> _delegates = new(StringComparer.Ordinal);

    /// <summary>The profile handler interface that answers the actions of <paramref name="profile"/>, if the profile has CP→CS actions.</summary>
    public static Type? InterfaceFor(OcppFeatureProfile profile) => profile switch
    {
        OcppFeatureProfile.Core => typeof(ICentralSystemCoreHandler),
        OcppFeatureProfile.FirmwareManagement => typeof(ICentralSystemFirmwareManagementHandler),
        OcppFeatureProfile.Security => typeof(ICentralSystemSecurityHandler),
        _ => null,
    };

    public bool TryGetLifetime(Type handlerInterface, out ServiceLifetime lifetime) => _interfaces.TryGetValue(handlerInterface, out lifetime);

    public Delegate? DelegateFor(string action) => _delegates.GetValueOrDefault(action);

    public void AddInterface(Type handlerInterface, ServiceLifetime lifetime)
    {
        if (_interfaces.ContainsKey(handlerInterface))
        {
            throw new InvalidOperationException($"A {handlerInterface.Name} is already registered; a Central System has one handler per profile.");
        }

        foreach (var action in _delegates.Keys)
        {
            if (OcppActions.TryGet(action, out var info) && InterfaceFor(info.Profile) == handlerInterface)
            {
                throw new InvalidOperationException($"{action} already has a delegate handler; a {handlerInterface.Name} would answer it too.");
            }
        }

        _interfaces.Add(handlerInterface, lifetime);
    }

    public void AddDelegate(OcppActionInfo action, Delegate handler)
    {
        if (action.Direction == OcppMessageDirection.CentralSystemToChargePoint)
        {
            throw new ArgumentException($"{action.Name} is sent by the Central System, not by charge points; it has no handler.", nameof(action));
        }

        if (_delegates.ContainsKey(action.Name))
        {
            throw new InvalidOperationException($"{action.Name} already has a handler; each action has one.");
        }

        if (InterfaceFor(action.Profile) is { } handlerInterface && _interfaces.ContainsKey(handlerInterface))
        {
            throw new InvalidOperationException($"{action.Name} is already answered by the registered {handlerInterface.Name}.");
        }

        _delegates.Add(action.Name, handler);
    }
}
