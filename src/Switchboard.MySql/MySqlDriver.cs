using Switchboard.Dialects;

[assembly: SwitchboardDriver(typeof(Switchboard.MySql.MySqlDriver))]

namespace Switchboard.MySql;

/// <summary>The <c>mysql</c> driver, over MySqlConnector.</summary>
internal sealed class MySqlDriver : MySqlFamilyDriver
{
    public override string Name => "mysql";
}
