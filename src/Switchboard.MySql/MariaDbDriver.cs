using Switchboard.Dialects;

[assembly: SwitchboardDriver(typeof(Switchboard.MySql.MariaDbDriver))]

namespace Switchboard.MySql;

/// <summary>The <c>mariadb</c> driver: the MySQL driver under MariaDB's name, so that connections report what was configured.</summary>
internal sealed class MariaDbDriver : MySqlFamilyDriver
{
    public override string Name => "mariadb";
}
