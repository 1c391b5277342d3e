namespace Switchboard.Extensions.Hosting.Internal;

// Reloads of Switchboard:Shards and Switchboard:Tenants: what changed is applied, what was removed is disposed.
internal sealed partial class RegistryConfigurator
{
    /// <summary>
    /// A sharded connection whose shards or their configurations changed is given the new ones at once (each shard's
    /// work in flight finishes on its old pool; a dropped shard is disposed); one removed from the section is disposed.
    /// </summary>
    private Dictionary<string, ShardedSettings> ReloadShards(IReadOnlyList<ShardedSettings> shards)
    {
        var next = new Dictionary<string, ShardedSettings>(StringComparer.Ordinal);
        foreach (var sharded in shards)
        {
            var known = _appliedShards.TryGetValue(sharded.Name, out var previous);
            if (known && Fingerprint(previous!) == Fingerprint(sharded))
            {
                next[sharded.Name] = previous!;
                continue;
            }

            try
            {
                Disown(previous);
                Own(TopologyConfigurator.ConfigureShards(registry, sharded, replace: known));
                next[sharded.Name] = sharded;
                LogChange(sharded.Name, known);
            }
            catch (ConfigurationException exception)
            {
                Log.ReloadRejected(logger, sharded.Name, exception.Message);
                if (known)
                {
                    Own(previous!.Shards.Select(s => registry.GetConnection(sharded.Name + ":" + s.Name)));
                    next[sharded.Name] = previous;
                }
            }
        }

        foreach (var (name, removed) in _appliedShards.Where(p => !next.ContainsKey(p.Key)))
        {
            Disown(removed);
            _ = registry.DisposeAsync(name, drainPeriod);
            Log.Removed(logger, name);
        }

        return next;
    }

    /// <summary>
    /// A tenant template that changed replaces its resolver, and the tenants it configured are configured again from the
    /// new one (work in flight finishes on the old pools); one removed from the section disposes its tenants.
    /// </summary>
    private Dictionary<string, TenantSettings> ReloadTenants(IReadOnlyList<TenantSettings> tenants)
    {
        var next = new Dictionary<string, TenantSettings>(StringComparer.Ordinal);
        foreach (var tenant in tenants)
        {
            var known = _appliedTenants.TryGetValue(tenant.Prefix, out var previous);
            if (known && previous!.Template.Fingerprint == tenant.Template.Fingerprint)
            {
                next[tenant.Prefix] = previous;
                continue;
            }

            try
            {
                TopologyConfigurator.ConfigureTenants(registry, tenant);
                next[tenant.Prefix] = tenant;
                LogChange(tenant.Template.Name, known);
            }
            catch (ConfigurationException exception)
            {
                Log.ReloadRejected(logger, tenant.Template.Name, exception.Message);
                if (known)
                {
                    next[tenant.Prefix] = previous!;
                }
            }
        }

        foreach (var (prefix, removed) in _appliedTenants.Where(p => !next.ContainsKey(p.Key)))
        {
            registry.RemoveResolver(prefix);
            Log.Removed(logger, removed.Template.Name);
        }

        return next;
    }

    private static string Fingerprint(ShardedSettings sharded) =>
        string.Join("\n", sharded.Shards.Select(s => s.Name + "=" + s.Fingerprint));

    private void LogChange(string name, bool known)
    {
        if (known)
        {
            Log.Reconfigured(logger, name);
        }
        else
        {
            Log.Added(logger, name);
        }
    }

    private void Own(IEnumerable<Connection> connections)
    {
        foreach (var connection in connections)
        {
            _owned[connection.Name] = connection;
        }
    }

    private void Disown(ShardedSettings? sharded)
    {
        foreach (var shard in sharded?.Shards ?? [])
        {
            _owned.Remove(sharded!.Name + ":" + shard.Name);
        }
    }
}
