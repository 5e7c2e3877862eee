"""Configs: describe_configs, alter_configs, reset_configs, list_config_resources."""
from .. import errors as Errors
from ._types import (AlterConfigOp, ConfigFilterType, ConfigResource, ConfigResourceType,
                     ConfigSourceType)

# kafka-python's ConfigResourceType (wire values) <-> librdkafka's rd_kafka_ResourceType_t
_TO_RD = {ConfigResourceType.UNKNOWN: 0, ConfigResourceType.TOPIC: 2, ConfigResourceType.BROKER: 4,
          ConfigResourceType.GROUP: 3, ConfigResourceType.BROKER_LOGGER: 8,
          ConfigResourceType.CLIENT_METRICS: 16}
_FROM_RD = {0: ConfigResourceType.UNKNOWN, 2: ConfigResourceType.TOPIC,
            4: ConfigResourceType.BROKER, 3: ConfigResourceType.GROUP,
            8: ConfigResourceType.BROKER_LOGGER, 16: ConfigResourceType.CLIENT_METRICS,
            32: ConfigResourceType.GROUP}


def _check_broker_names(resources):
    for r in resources:
        if r.resource_type in (ConfigResourceType.BROKER, ConfigResourceType.BROKER_LOGGER):
            try:
                int(r.name)
            except ValueError:
                raise ValueError("Broker resource names must be an integer or a string "
                                 "represented integer")


def _op_entries(configs, incremental):
    """[(name, op code, value)] of a resource's configs ({key: value | (op, value)})."""
    if not configs:
        return []
    if not isinstance(configs, dict):
        if incremental:
            raise TypeError("alter_configs requires configs as a dict of {key: (op, value)} or "
                            "{key: value} (interpreted as SET)")
        raise TypeError("configs should be a dict of {key: value}, found %s" % type(configs))
    out = []
    for name, v in configs.items():
        op, value = v if isinstance(v, tuple) else (AlterConfigOp.SET, v)
        code = AlterConfigOp.value_for(op)
        if not incremental and code != AlterConfigOp.SET.value:
            raise ValueError("Non-incremental AlterConfigsRequest does not support operation %s "
                             "(SET only)" % (op,))
        if code == AlterConfigOp.DELETE.value:
            value = None
        out.append((name, code, value))
    return out


class ConfigMixin:
    """Config operations of KafkaAdminClient."""

    def _source(self, source, read_only, is_default, rtype):
        if source is not None and source >= 0:
            try:
                return ConfigSourceType(source)
            except ValueError:
                return ConfigSourceType.UNKNOWN
        if read_only and rtype is ConfigResourceType.BROKER:
            return ConfigSourceType.STATIC_BROKER_CONFIG
        if is_default:
            return ConfigSourceType.DEFAULT_CONFIG
        return ConfigSourceType.dynamic_for_resource_type(rtype)

    def _describe(self, resources, include_synonyms=False, config_filter="modified"):
        """[(ConfigResourceType, name, {key: config dict})] in the order of resources."""
        _check_broker_names(resources)
        flt = ConfigFilterType.build_from(config_filter)
        if not resources:
            return []
        res = self._call("describe_configs",
                         [(_TO_RD[r.resource_type], str(r.name)) for r in resources])
        out = []
        for r, (_rt, name, err, entries) in zip(resources, res):
            rtype = r.resource_type
            wanted = None if r.configs is None else set(
                r.configs.keys() if isinstance(r.configs, dict) else r.configs)
            configs = {}
            for (key, value, source, read_only, is_default, sensitive, _syn,
                 synonyms) in (entries if err is None else []):
                if wanted is not None and key not in wanted:
                    continue
                src = self._source(source, read_only, is_default, rtype)
                if flt == ConfigFilterType.DYNAMIC and read_only:
                    continue
                if flt.should_skip(src):
                    continue
                configs[key] = {
                    "value": value, "read_only": bool(read_only), "config_source": src.name,
                    "is_sensitive": bool(sensitive),
                    "synonyms": [{"name": s[0], "value": s[1],
                                  "source": self._source(s[2], False, False, rtype).name}
                                 for s in synonyms] if include_synonyms else [],
                    "config_type": "UNKNOWN", "documentation": None,
                }
            out.append((rtype, name, configs))
        return out

    def describe_configs(self, config_resources, include_synonyms=False,
                         config_filter="modified"):
        """Configs of resources: {resource type: {name: {key: config dict}}}; config_filter
        is modified (default), dynamic, all, default or static."""
        ret = {}
        for rtype, name, configs in self._describe(list(config_resources), include_synonyms,
                                                   config_filter):
            ret.setdefault(rtype.name.lower(), {})[name] = configs
        return ret

    def list_config_resources(self, resource_types=None):
        """Config resources known to the cluster: {type name: [names]} (kafkars extension
        ListConfigResources)."""
        types = [ConfigResourceType.build_from(t).value for t in resource_types or []]
        res = self._call("list_config_resources", types or None)
        ret = {}
        for name, rtype in res:
            try:
                key = ConfigResourceType(rtype).name.lower()
            except ValueError:
                key = str(rtype)
            ret.setdefault(key, []).append(name)
        return ret

    def _modified(self, resources):
        look = [ConfigResource(r.resource_type, r.name) for r in resources]
        missing = []
        for r, (_t, _n, configs) in zip(resources, self._describe(look, False, "modified")):
            missing.append({k: c["value"] for k, c in configs.items()
                            if k not in (r.configs or {}) and c["value"] is not None})
        return missing

    def _check_known(self, resources):
        look = [ConfigResource(r.resource_type, r.name) for r in resources]
        for r, (_t, _n, configs) in zip(resources, self._describe(look, False, "dynamic")):
            unknown = set(r.configs or []) - set(configs)
            if unknown:
                raise ValueError("Unrecognized configs: %s" % (unknown,))

    def _send_alter(self, resources, validate_only, incremental):
        _check_broker_names(resources)
        if incremental:
            args = [(_TO_RD[r.resource_type], str(r.name), _op_entries(r.configs, True))
                    for r in resources]
            res = self._call("incremental_alter_configs", args,
                             {"validate_only": bool(validate_only)})
        else:
            args = [(_TO_RD[r.resource_type], str(r.name),
                     {k: v for k, _op, v in _op_entries(r.configs, False)}) for r in resources]
            res = self._call("alter_configs", args, {"validate_only": bool(validate_only)})
        from .client import error_class
        ret = {}
        for r, (_rt, name, err) in zip(resources, res):
            text = "OK" if err is None else str(error_class(err)(err.str()))
            ret.setdefault(r.resource_type.name.lower(), {})[name] = text
        return ret

    def _alter(self, resources, validate_only, incremental, fix):
        """incremental None: IncrementalAlterConfigs, AlterConfigs when the broker lacks it."""
        if incremental is None:
            for r in resources:
                _op_entries(r.configs, True)
            try:
                return self._send_alter(resources, validate_only, True)
            except Errors.IncompatibleBrokerVersion:
                incremental = False
        if not incremental:
            fix(resources)
        return self._send_alter(resources, validate_only, incremental)

    def alter_configs(self, config_resources, validate_only=False, raise_on_unknown=True,
                      incremental=None):
        """Alter configs ({key: value | (AlterConfigOp, value)} per ConfigResource); returns
        {resource type: {name: 'OK' | error text}}."""
        resources = list(config_resources)
        if raise_on_unknown:
            self._check_known(resources)

        def add_missing(rs):  # AlterConfigs resets every key it is not given
            for r, miss in zip(rs, self._modified(rs)):
                r.configs.update(miss)
        if incremental:
            return self._send_alter(resources, validate_only, True)
        return self._alter(resources, validate_only, incremental, add_missing)

    def reset_configs(self, config_resources, validate_only=False, raise_on_unknown=True,
                      incremental=None):
        """Reset configs to their defaults (the keys of each ConfigResource's configs; none:
        every modified key); returns {resource type: {name: 'OK' | error text}}."""
        resources = list(config_resources)
        if raise_on_unknown:
            self._check_known(resources)
        originals = [r.configs for r in resources]

        def as_delete(rs):
            full = [r for r in rs if not r.configs]
            for r, miss in zip(full, self._modified(full)):
                r.configs = miss
            for r in rs:
                r.configs = {k: (AlterConfigOp.DELETE, None) for k in r.configs}

        def keep_others(rs):
            for r, orig in zip(rs, originals):
                r.configs = orig
            partial = [r for r in rs if r.configs]
            for r, miss in zip(partial, self._modified(partial)):
                r.configs = miss
        if incremental is False:
            keep_others(resources)
            return self._send_alter(resources, validate_only, False)
        as_delete(resources)
        if incremental:
            return self._send_alter(resources, validate_only, True)
        return self._alter(resources, validate_only, None, keep_others)
