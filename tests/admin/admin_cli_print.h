/* admin_cli: the printers of results (included once, by admin_cli.c). */

/* ------------------------------------------------------------------------ */
/* Field printers */

static void p_error(sb_t *b, const rd_kafka_error_t *e) {
        if (!e) {
                sb_printf(b, "error=(null)");
                return;
        }
        sb_printf(b, "error=%s", S(rd_kafka_error_name(e)));
        if (rd_kafka_error_is_fatal(e))
                sb_printf(b, "/fatal");
        if (rd_kafka_error_is_retriable(e))
                sb_printf(b, "/retriable");
        if (rd_kafka_error_txn_requires_abort(e))
                sb_printf(b, "/txn_requires_abort");
        sb_printf(b, ": %s", S(rd_kafka_error_string(e)));
}

static void p_node(sb_t *b, const rd_kafka_Node_t *n) {
        if (!n) {
                sb_printf(b, "(null)");
                return;
        }
        sb_printf(b, "%d:%s:%u:%s", rd_kafka_Node_id(n), S(rd_kafka_Node_host(n)),
                  (unsigned)rd_kafka_Node_port(n), S(rd_kafka_Node_rack(n)));
}

static void p_nodes_inline(sb_t *b, const rd_kafka_Node_t **nodes, size_t cnt) {
        size_t i;
        sb_printf(b, "[");
        for (i = 0; i < cnt; i++) {
                if (i)
                        sb_printf(b, ",");
                p_node(b, nodes ? nodes[i] : NULL);
        }
        sb_printf(b, "]");
}

static void p_authops(sb_t *b, const rd_kafka_AclOperation_t *ops, size_t cnt) {
        size_t i;
        sb_printf(b, "authorized_operations=");
        if (!ops) {
                sb_printf(b, "(null)");
                if (cnt)
                        sb_printf(b, "/cnt=%zu", cnt);
                return;
        }
        sb_printf(b, "[");
        for (i = 0; i < cnt; i++)
                sb_printf(b, "%s%s(%d)", i ? "," : "",
                          S(rd_kafka_AclOperation_name(ops[i])), (int)ops[i]);
        sb_printf(b, "]");
}

static void p_bytes(sb_t *b, const void *data, size_t size) {
        const unsigned char *p = data;
        size_t i;
        if (!data) {
                sb_printf(b, "(null)");
                if (size)
                        sb_printf(b, "/size=%zu", size);
                return;
        }
        sb_printf(b, "\"");
        for (i = 0; i < size; i++) {
                if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
                        sb_printf(b, "%c", p[i]);
                else
                        sb_printf(b, "\\x%02x", p[i]);
        }
        sb_printf(b, "\"");
}

/* One topic+partition, on the current line. */
static void p_tpar(sb_t *b, const rd_kafka_topic_partition_t *t) {
        if (!t) {
                sb_printf(b, "tp=(null)");
                return;
        }
        sb_printf(b, "topic=%s partition=%" PRId32 " offset=%" PRId64
                     " leader_epoch=%" PRId32 " metadata=",
                  S(t->topic), t->partition, t->offset,
                  rd_kafka_topic_partition_get_leader_epoch(t));
        p_bytes(b, t->metadata, t->metadata_size);
        sb_printf(b, " err=%s", S(rd_kafka_err2name(t->err)));
}

static void p_tplist(sb_t *b, int ind, const char *label,
                     const rd_kafka_topic_partition_list_t *l) {
        blocks_t bl;
        int i;
        if (!l) {
                sb_line(b, ind, "%s: (null)\n", label);
                return;
        }
        sb_line(b, ind, "%s: %d\n", label, l->cnt);
        blocks_init(&bl, l->cnt > 0 ? (size_t)l->cnt : 0);
        for (i = 0; i < l->cnt; i++) {
                sb_line(&bl.v[i], ind + 1, "tp ");
                p_tpar(&bl.v[i], &l->elems[i]);
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

static const char *scram_mech_name(rd_kafka_ScramMechanism_t m) {
        switch ((int)m) {
        case RD_KAFKA_SCRAM_MECHANISM_UNKNOWN:
                return "UNKNOWN";
        case RD_KAFKA_SCRAM_MECHANISM_SHA_256:
                return "SCRAM-SHA-256";
        case RD_KAFKA_SCRAM_MECHANISM_SHA_512:
                return "SCRAM-SHA-512";
        default:
                return "?";
        }
}

/* ------------------------------------------------------------------------ */
/* Result printers */

static void p_topic_results(sb_t *b, int ind, const char *label,
                            const rd_kafka_topic_result_t **res, size_t cnt) {
        blocks_t bl;
        size_t i;
        sb_line(b, ind, "%s: %zu\n", label, cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                const rd_kafka_topic_result_t *r = res[i];
                sb_line(&bl.v[i], ind + 1, "topic name=%s err=%s errstr=%s\n",
                        S(rd_kafka_topic_result_name(r)),
                        S(rd_kafka_err2name(rd_kafka_topic_result_error(r))),
                        S(rd_kafka_topic_result_error_string(r)));
        }
        blocks_flush(&bl, b);
}

static void p_config_entries(sb_t *b, int ind, const char *label,
                             const rd_kafka_ConfigEntry_t **entries, size_t cnt,
                             int depth) {
        blocks_t bl;
        size_t i;
        sb_line(b, ind, "%s: %zu\n", label, cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                const rd_kafka_ConfigEntry_t *e = entries[i];
                const rd_kafka_ConfigEntry_t **syn;
                size_t syn_cnt                  = 0;
                rd_kafka_ConfigSource_t src     = rd_kafka_ConfigEntry_source(e);
                sb_t *o                         = &bl.v[i];
                sb_line(o, ind + 1,
                        "entry name=%s value=%s source=%s(%d) read_only=%d "
                        "default=%d sensitive=%d synonym=%d\n",
                        S(rd_kafka_ConfigEntry_name(e)),
                        S(rd_kafka_ConfigEntry_value(e)),
                        S(rd_kafka_ConfigSource_name(src)), (int)src,
                        rd_kafka_ConfigEntry_is_read_only(e),
                        rd_kafka_ConfigEntry_is_default(e),
                        rd_kafka_ConfigEntry_is_sensitive(e),
                        rd_kafka_ConfigEntry_is_synonym(e));
                syn = rd_kafka_ConfigEntry_synonyms(e, &syn_cnt);
                if (depth < 8)
                        p_config_entries(o, ind + 2, "synonyms", syn, syn_cnt,
                                         depth + 1);
        }
        blocks_flush(&bl, b);
}

static void p_config_resources(sb_t *b, int ind,
                               const rd_kafka_ConfigResource_t **res, size_t cnt) {
        blocks_t bl;
        size_t i;
        sb_line(b, ind, "resources: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                const rd_kafka_ConfigResource_t *r = res[i];
                const rd_kafka_ConfigEntry_t **entries;
                size_t ecnt               = 0;
                rd_kafka_ResourceType_t t = rd_kafka_ConfigResource_type(r);
                sb_t *o                   = &bl.v[i];
                sb_line(o, ind + 1, "resource type=%s(%d) name=%s err=%s errstr=%s\n",
                        S(rd_kafka_ResourceType_name(t)), (int)t,
                        S(rd_kafka_ConfigResource_name(r)),
                        S(rd_kafka_err2name(rd_kafka_ConfigResource_error(r))),
                        S(rd_kafka_ConfigResource_error_string(r)));
                entries = rd_kafka_ConfigResource_configs(r, &ecnt);
                p_config_entries(o, ind + 2, "configs", entries, ecnt, 0);
        }
        blocks_flush(&bl, b);
}

static void p_acl_binding(sb_t *b, int ind, const char *what,
                          const rd_kafka_AclBinding_t *a) {
        rd_kafka_ResourceType_t rt        = rd_kafka_AclBinding_restype(a);
        rd_kafka_ResourcePatternType_t pt = rd_kafka_AclBinding_resource_pattern_type(a);
        rd_kafka_AclOperation_t op        = rd_kafka_AclBinding_operation(a);
        rd_kafka_AclPermissionType_t pm   = rd_kafka_AclBinding_permission_type(a);
        sb_line(b, ind,
                "%s restype=%s(%d) name=%s pattern=%s(%d) principal=%s host=%s "
                "operation=%s(%d) permission=%s(%d) ",
                what, S(rd_kafka_ResourceType_name(rt)), (int)rt,
                S(rd_kafka_AclBinding_name(a)),
                S(rd_kafka_ResourcePatternType_name(pt)), (int)pt,
                S(rd_kafka_AclBinding_principal(a)), S(rd_kafka_AclBinding_host(a)),
                S(rd_kafka_AclOperation_name(op)), (int)op,
                S(rd_kafka_AclPermissionType_name(pm)), (int)pm);
        p_error(b, rd_kafka_AclBinding_error(a));
        sb_printf(b, "\n");
}

static void p_acl_bindings(sb_t *b, int ind, const char *label,
                           const rd_kafka_AclBinding_t **acls, size_t cnt) {
        blocks_t bl;
        size_t i;
        sb_line(b, ind, "%s: %zu\n", label, cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++)
                p_acl_binding(&bl.v[i], ind + 1, "acl", acls[i]);
        blocks_flush(&bl, b);
}

static void p_group_results(sb_t *b, int ind, const rd_kafka_group_result_t **res,
                            size_t cnt) {
        blocks_t bl;
        size_t i;
        sb_line(b, ind, "groups: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                const rd_kafka_group_result_t *r = res[i];
                sb_t *o                          = &bl.v[i];
                sb_line(o, ind + 1, "group name=%s ", S(rd_kafka_group_result_name(r)));
                p_error(o, rd_kafka_group_result_error(r));
                sb_printf(o, "\n");
                p_tplist(o, ind + 2, "partitions", rd_kafka_group_result_partitions(r));
        }
        blocks_flush(&bl, b);
}

static void p_member_assignment(sb_t *b, int ind, const char *label,
                                const rd_kafka_MemberAssignment_t *a) {
        if (!a) {
                sb_line(b, ind, "%s: (null)\n", label);
                return;
        }
        sb_line(b, ind, "%s:\n", label);
        p_tplist(b, ind + 1, "partitions", rd_kafka_MemberAssignment_partitions(a));
}

static void p_group_description(sb_t *b, int ind,
                                const rd_kafka_ConsumerGroupDescription_t *g) {
        rd_kafka_consumer_group_state_t st = rd_kafka_ConsumerGroupDescription_state(g);
        rd_kafka_consumer_group_type_t ty  = rd_kafka_ConsumerGroupDescription_type(g);
        const rd_kafka_AclOperation_t *ops;
        size_t ops_cnt = 0, mcnt, i;
        blocks_t bl;

        sb_line(b, ind,
                "group group_id=%s state=%s(%d) type=%s(%d) is_simple=%d "
                "partition_assignor=%s ",
                S(rd_kafka_ConsumerGroupDescription_group_id(g)),
                S(rd_kafka_consumer_group_state_name(st)), (int)st,
                S(rd_kafka_consumer_group_type_name(ty)), (int)ty,
                rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(g),
                S(rd_kafka_ConsumerGroupDescription_partition_assignor(g)));
        p_error(b, rd_kafka_ConsumerGroupDescription_error(g));
        sb_printf(b, "\n");
        sb_line(b, ind + 1, "coordinator=");
        p_node(b, rd_kafka_ConsumerGroupDescription_coordinator(g));
        sb_printf(b, "\n");
        ops = rd_kafka_ConsumerGroupDescription_authorized_operations(g, &ops_cnt);
        sb_line(b, ind + 1, "%s", "");
        p_authops(b, ops, ops_cnt);
        sb_printf(b, "\n");

        mcnt = rd_kafka_ConsumerGroupDescription_member_count(g);
        sb_line(b, ind + 1, "members: %zu\n", mcnt);
        blocks_init(&bl, mcnt);
        for (i = 0; i < mcnt; i++) {
                const rd_kafka_MemberDescription_t *m =
                    rd_kafka_ConsumerGroupDescription_member(g, i);
                sb_t *o = &bl.v[i];
                if (!m) {
                        sb_line(o, ind + 2, "member (null)\n");
                        continue;
                }
                sb_line(o, ind + 2,
                        "member consumer_id=%s client_id=%s host=%s "
                        "group_instance_id=%s\n",
                        S(rd_kafka_MemberDescription_consumer_id(m)),
                        S(rd_kafka_MemberDescription_client_id(m)),
                        S(rd_kafka_MemberDescription_host(m)),
                        S(rd_kafka_MemberDescription_group_instance_id(m)));
                p_member_assignment(o, ind + 3, "assignment",
                                    rd_kafka_MemberDescription_assignment(m));
                p_member_assignment(o, ind + 3, "target_assignment",
                                    rd_kafka_MemberDescription_target_assignment(m));
        }
        blocks_flush(&bl, b);
        /* One past the end must be NULL. */
        if (rd_kafka_ConsumerGroupDescription_member(g, mcnt))
                sb_line(b, ind + 1, "member[%zu] is not NULL\n", mcnt);
}

static void p_topic_description(sb_t *b, int ind, const rd_kafka_TopicDescription_t *t) {
        const rd_kafka_Uuid_t *id = rd_kafka_TopicDescription_topic_id(t);
        const rd_kafka_AclOperation_t *ops;
        const rd_kafka_TopicPartitionInfo_t **parts;
        size_t ops_cnt = 0, pcnt = 0, i;
        blocks_t bl;

        sb_line(b, ind, "topic name=%s topic_id=", S(rd_kafka_TopicDescription_name(t)));
        if (id)
                sb_printf(b, "%s topic_id_bits=%" PRId64 ":%" PRId64,
                          S(rd_kafka_Uuid_base64str(id)),
                          rd_kafka_Uuid_most_significant_bits(id),
                          rd_kafka_Uuid_least_significant_bits(id));
        else
                sb_printf(b, "(null)");
        sb_printf(b, " is_internal=%d ", rd_kafka_TopicDescription_is_internal(t));
        ops = rd_kafka_TopicDescription_authorized_operations(t, &ops_cnt);
        p_authops(b, ops, ops_cnt);
        sb_printf(b, " ");
        p_error(b, rd_kafka_TopicDescription_error(t));
        sb_printf(b, "\n");

        parts = rd_kafka_TopicDescription_partitions(t, &pcnt);
        sb_line(b, ind + 1, "partitions: %zu\n", pcnt);
        blocks_init(&bl, pcnt);
        for (i = 0; i < pcnt; i++) {
                const rd_kafka_TopicPartitionInfo_t *p = parts[i];
                const rd_kafka_Node_t **nodes;
                size_t ncnt = 0;
                sb_t *o     = &bl.v[i];
                sb_line(o, ind + 2, "partition id=%d leader=",
                        rd_kafka_TopicPartitionInfo_partition(p));
                p_node(o, rd_kafka_TopicPartitionInfo_leader(p));
                nodes = rd_kafka_TopicPartitionInfo_isr(p, &ncnt);
                sb_printf(o, " isr=");
                p_nodes_inline(o, nodes, ncnt);
                ncnt  = 0;
                nodes = rd_kafka_TopicPartitionInfo_replicas(p, &ncnt);
                sb_printf(o, " replicas=");
                p_nodes_inline(o, nodes, ncnt);
                sb_printf(o, "\n");
        }
        blocks_flush(&bl, b);
}

/* Per-op result printers: called with the op's typed result (non-NULL). */

static void pr_CreateTopics(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_topic_result_t **t = rd_kafka_CreateTopics_result_topics(r, &cnt);
        p_topic_results(b, 1, "topics", t, cnt);
}

static void pr_DeleteTopics(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_topic_result_t **t = rd_kafka_DeleteTopics_result_topics(r, &cnt);
        p_topic_results(b, 1, "topics", t, cnt);
}

static void pr_CreatePartitions(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_topic_result_t **t =
            rd_kafka_CreatePartitions_result_topics(r, &cnt);
        p_topic_results(b, 1, "topics", t, cnt);
}

static void pr_DescribeConfigs(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_ConfigResource_t **res =
            rd_kafka_DescribeConfigs_result_resources(r, &cnt);
        p_config_resources(b, 1, res, cnt);
}

static void pr_AlterConfigs(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_ConfigResource_t **res =
            rd_kafka_AlterConfigs_result_resources(r, &cnt);
        p_config_resources(b, 1, res, cnt);
}

static void pr_IncrementalAlterConfigs(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_ConfigResource_t **res =
            rd_kafka_IncrementalAlterConfigs_result_resources(r, &cnt);
        p_config_resources(b, 1, res, cnt);
}

static void pr_DeleteRecords(sb_t *b, const rd_kafka_event_t *r) {
        p_tplist(b, 1, "offsets", rd_kafka_DeleteRecords_result_offsets(r));
}

static void pr_DescribeTopics(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const rd_kafka_TopicDescription_t **t =
            rd_kafka_DescribeTopics_result_topics(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "topics: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++)
                p_topic_description(&bl.v[i], 2, t[i]);
        blocks_flush(&bl, b);
}

static void pr_DescribeCluster(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, ops_cnt = 0, i;
        const rd_kafka_Node_t **nodes;
        const rd_kafka_AclOperation_t *ops;
        blocks_t bl;

        sb_line(b, 1, "cluster_id=%s\n", S(rd_kafka_DescribeCluster_result_cluster_id(r)));
        sb_line(b, 1, "controller=");
        p_node(b, rd_kafka_DescribeCluster_result_controller(r));
        sb_printf(b, "\n");
        ops = rd_kafka_DescribeCluster_result_authorized_operations(r, &ops_cnt);
        sb_line(b, 1, "%s", "");
        p_authops(b, ops, ops_cnt);
        sb_printf(b, "\n");
        nodes = rd_kafka_DescribeCluster_result_nodes(r, &cnt);
        sb_line(b, 1, "nodes: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "node ");
                p_node(&bl.v[i], nodes[i]);
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

static void pr_ListOffsets(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const rd_kafka_ListOffsetsResultInfo_t **infos =
            rd_kafka_ListOffsets_result_infos(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "infos: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "info timestamp=%" PRId64 " ",
                        rd_kafka_ListOffsetsResultInfo_timestamp(infos[i]));
                p_tpar(&bl.v[i], rd_kafka_ListOffsetsResultInfo_topic_partition(infos[i]));
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

static void pr_ElectLeaders(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const rd_kafka_topic_partition_result_t **res =
            rd_kafka_ElectLeaders_result_partitions(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "partitions: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "result ");
                p_tpar(&bl.v[i], rd_kafka_topic_partition_result_partition(res[i]));
                sb_printf(&bl.v[i], " ");
                p_error(&bl.v[i], rd_kafka_topic_partition_result_error(res[i]));
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

static void pr_CreateAcls(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const rd_kafka_acl_result_t **res = rd_kafka_CreateAcls_result_acls(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "acls: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "acl_result ");
                p_error(&bl.v[i], rd_kafka_acl_result_error(res[i]));
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

static void pr_DescribeAcls(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_AclBinding_t **acls = rd_kafka_DescribeAcls_result_acls(r, &cnt);
        p_acl_bindings(b, 1, "acls", acls, cnt);
}

static void pr_DeleteAcls(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const rd_kafka_DeleteAcls_result_response_t **res =
            rd_kafka_DeleteAcls_result_responses(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "responses: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                size_t mcnt = 0;
                const rd_kafka_AclBinding_t **m;
                sb_line(&bl.v[i], 2, "response ");
                p_error(&bl.v[i], rd_kafka_DeleteAcls_result_response_error(res[i]));
                sb_printf(&bl.v[i], "\n");
                m = rd_kafka_DeleteAcls_result_response_matching_acls(res[i], &mcnt);
                p_acl_bindings(&bl.v[i], 3, "matching_acls", m, mcnt);
        }
        blocks_flush(&bl, b);
}

static void pr_ListConsumerGroups(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, ecnt = 0, i;
        const rd_kafka_ConsumerGroupListing_t **v =
            rd_kafka_ListConsumerGroups_result_valid(r, &cnt);
        const rd_kafka_error_t **errs = rd_kafka_ListConsumerGroups_result_errors(r, &ecnt);
        blocks_t bl;

        sb_line(b, 1, "valid: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                rd_kafka_consumer_group_state_t st = rd_kafka_ConsumerGroupListing_state(v[i]);
                rd_kafka_consumer_group_type_t ty  = rd_kafka_ConsumerGroupListing_type(v[i]);
                sb_line(&bl.v[i], 2, "group group_id=%s state=%s(%d) type=%s(%d) is_simple=%d\n",
                        S(rd_kafka_ConsumerGroupListing_group_id(v[i])),
                        S(rd_kafka_consumer_group_state_name(st)), (int)st,
                        S(rd_kafka_consumer_group_type_name(ty)), (int)ty,
                        rd_kafka_ConsumerGroupListing_is_simple_consumer_group(v[i]));
        }
        blocks_flush(&bl, b);

        sb_line(b, 1, "errors: %zu\n", ecnt);
        blocks_init(&bl, ecnt);
        for (i = 0; i < ecnt; i++) {
                sb_line(&bl.v[i], 2, "%s", "");
                p_error(&bl.v[i], errs[i]);
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

static void pr_DescribeConsumerGroups(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const rd_kafka_ConsumerGroupDescription_t **g =
            rd_kafka_DescribeConsumerGroups_result_groups(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "groups: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++)
                p_group_description(&bl.v[i], 2, g[i]);
        blocks_flush(&bl, b);
}

static void pr_DeleteGroups(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_group_result_t **g = rd_kafka_DeleteGroups_result_groups(r, &cnt);
        p_group_results(b, 1, g, cnt);
}

static void pr_ListConsumerGroupOffsets(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_group_result_t **g =
            rd_kafka_ListConsumerGroupOffsets_result_groups(r, &cnt);
        p_group_results(b, 1, g, cnt);
}

static void pr_AlterConsumerGroupOffsets(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_group_result_t **g =
            rd_kafka_AlterConsumerGroupOffsets_result_groups(r, &cnt);
        p_group_results(b, 1, g, cnt);
}

static void pr_DeleteConsumerGroupOffsets(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0;
        const rd_kafka_group_result_t **g =
            rd_kafka_DeleteConsumerGroupOffsets_result_groups(r, &cnt);
        p_group_results(b, 1, g, cnt);
}

static void pr_DescribeUserScramCredentials(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const rd_kafka_UserScramCredentialsDescription_t **d =
            rd_kafka_DescribeUserScramCredentials_result_descriptions(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "descriptions: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_t *o     = &bl.v[i];
                size_t ccnt = rd_kafka_UserScramCredentialsDescription_scramcredentialinfo_count(d[i]);
                size_t j;
                blocks_t cb;
                sb_line(o, 2, "description user=%s ",
                        S(rd_kafka_UserScramCredentialsDescription_user(d[i])));
                p_error(o, rd_kafka_UserScramCredentialsDescription_error(d[i]));
                sb_printf(o, "\n");
                sb_line(o, 3, "credentials: %zu\n", ccnt);
                blocks_init(&cb, ccnt);
                for (j = 0; j < ccnt; j++) {
                        const rd_kafka_ScramCredentialInfo_t *ci =
                            rd_kafka_UserScramCredentialsDescription_scramcredentialinfo(d[i], j);
                        rd_kafka_ScramMechanism_t m;
                        if (!ci) {
                                sb_line(&cb.v[j], 4, "credential (null)\n");
                                continue;
                        }
                        m = rd_kafka_ScramCredentialInfo_mechanism(ci);
                        sb_line(&cb.v[j], 4, "credential mechanism=%s(%d) iterations=%" PRId32 "\n",
                                scram_mech_name(m), (int)m,
                                rd_kafka_ScramCredentialInfo_iterations(ci));
                }
                blocks_flush(&cb, o);
        }
        blocks_flush(&bl, b);
}

static void pr_AlterUserScramCredentials(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const rd_kafka_AlterUserScramCredentials_result_response_t **res =
            rd_kafka_AlterUserScramCredentials_result_responses(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "responses: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "response user=%s ",
                        S(rd_kafka_AlterUserScramCredentials_result_response_user(res[i])));
                p_error(&bl.v[i], rd_kafka_AlterUserScramCredentials_result_response_error(res[i]));
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}
