/* admin_cli: the later kafkars extensions (kafka-python's admin operations that
   librdkafka lacks): each op builds its request objects and calls the API, each
   printer calls every accessor of its result (included once, by admin_cli.c,
   after admin_cli_ops.h). The format is tests/admin/kpy_ext.py's too. */

/* kafkars_ConfigResourceType_t values (wire codes) and their names. */
static const struct {
        const char *name;
        int value;
} configres_types[] = {{"topic", 2},
                       {"broker", 4},
                       {"broker_logger", 8},
                       {"client_metrics", 16},
                       {"group", 32}};

static const char *configres_type_name(int v) {
        int i;
        for (i = 0; i < NELEMS(configres_types); i++)
                if (configres_types[i].value == v)
                        return configres_types[i].name;
        return "unknown";
}

/* kafkars_TransactionState_t values (index) as kafka-python names them. */
static const char *const txn_state_names[] = {
    "Unknown",        "Empty",         "Ongoing", "PrepareCommit",    "PrepareAbort",
    "CompleteCommit", "CompleteAbort", "Dead",    "PrepareEpochFence"};

/* kafkars_FeatureUpgradeType_t values (index). */
static const char *const upgrade_type_names[] = {NULL, "upgrade", "safe_downgrade",
                                                 "unsafe_downgrade"};

/* The options only kafkars has (ListTransactions' filters); returns 1 if `name`
 * is one of them. */
static int ext_apply_option(const char *name, char *val) {
        size_t n = 1, cnt = 0;
        char *q, *f;
        for (q = val; *q; q++)
                if (*q == ',')
                        n++;
        if (!strcmp(name, "match_transaction_states")) {
                kafkars_TransactionState_t *arr = xcalloc(n, sizeof(*arr));
                ext_need((void (*)(void))kafkars_AdminOptions_set_match_transaction_states,
                         "kafkars_AdminOptions_set_match_transaction_states");
                q = *val ? val : NULL;
                while ((f = next_field(&q, ',')))
                        arr[cnt++] = (kafkars_TransactionState_t)need_enum(
                            f, txn_state_names, NELEMS(txn_state_names), "transaction state");
                option_error(name,
                             kafkars_AdminOptions_set_match_transaction_states(g_opts, arr, cnt));
        } else if (!strcmp(name, "match_producer_ids")) {
                int64_t *arr = xcalloc(n, sizeof(*arr));
                ext_need((void (*)(void))kafkars_AdminOptions_set_match_producer_ids,
                         "kafkars_AdminOptions_set_match_producer_ids");
                q = *val ? val : NULL;
                while ((f = next_field(&q, ',')))
                        arr[cnt++] = need_i64(f, "producer id");
                option_error(name, kafkars_AdminOptions_set_match_producer_ids(g_opts, arr, cnt));
        } else if (!strcmp(name, "min_transaction_duration")) {
                ext_need((void (*)(void))kafkars_AdminOptions_set_min_transaction_duration,
                         "kafkars_AdminOptions_set_min_transaction_duration");
                option_error(name, kafkars_AdminOptions_set_min_transaction_duration(
                                       g_opts, need_i64(val, "min_transaction_duration")));
        } else if (!strcmp(name, "transactional_id_pattern")) {
                ext_need((void (*)(void))kafkars_AdminOptions_set_transactional_id_pattern,
                         "kafkars_AdminOptions_set_transactional_id_pattern");
                option_error(name,
                             kafkars_AdminOptions_set_transactional_id_pattern(g_opts, val));
        } else {
                return 0;
        }
        return 1;
}

/* ---- AlterReplicaLogDirs ---- */

static void dtor_replica_log_dir(void *p) {
        kafkars_ReplicaLogDir_destroy(p);
}

static void op_alter_replica_log_dirs(int argc, char **argv) {
        kafkars_ReplicaLogDir_t **arr;
        int i;
        ext_need((void (*)(void))kafkars_AlterReplicaLogDirs, "kafkars_AlterReplicaLogDirs");
        arr = xcalloc((size_t)argc + 1, sizeof(*arr));
        for (i = 0; i < argc; i++) {
                char *s = xstrdup(argv[i]), *rest = s;
                char *topic  = next_field(&rest, ':');
                char *part   = next_field(&rest, ':');
                char *broker = next_field(&rest, ':');
                char errstr[ERRSTR_SIZE] = "";
                /* PATH is the rest of the argument, ':'s and all. */
                if (!broker || !rest)
                        usage_error("alter_replica_log_dirs: expected TOPIC:PART:BROKER:PATH "
                                    "in '%s'",
                                    argv[i]);
                arr[i] = kafkars_ReplicaLogDir_new(topic, need_i32(part, "partition"),
                                                   need_i32(broker, "broker id"), rest, errstr,
                                                   sizeof(errstr));
                if (!arr[i])
                        build_fail("kafkars_ReplicaLogDir_new", argv[i], errstr);
                push(arr[i], dtor_replica_log_dir);
        }
        kafkars_AlterReplicaLogDirs(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void pr_AlterReplicaLogDirs(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const kafkars_ReplicaLogDirResult_t **res =
            kafkars_AlterReplicaLogDirs_result_replicas(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "replicas: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                const kafkars_ReplicaLogDir_t *x = kafkars_ReplicaLogDirResult_replica(res[i]);
                sb_line(&bl.v[i], 2, "replica topic=%s partition=%" PRId32 " broker_id=%" PRId32
                                     " path=%s ",
                        S(kafkars_ReplicaLogDir_topic(x)), kafkars_ReplicaLogDir_partition(x),
                        kafkars_ReplicaLogDir_broker_id(x), S(kafkars_ReplicaLogDir_path(x)));
                p_error(&bl.v[i], kafkars_ReplicaLogDirResult_error(res[i]));
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

/* ---- DescribeMetadataQuorum ---- */

static void op_describe_metadata_quorum(int argc, char **argv) {
        if (argc)
                usage_error("describe_metadata_quorum takes no arguments");
        ext_need((void (*)(void))kafkars_DescribeMetadataQuorum,
                 "kafkars_DescribeMetadataQuorum");
        kafkars_DescribeMetadataQuorum(g_rk, g_opts, g_q);
}

static void p_replica_states(sb_t *b, const char *label, const kafkars_ReplicaState_t **v,
                             size_t cnt) {
        blocks_t bl;
        size_t i;
        sb_line(b, 2, "%s: %zu\n", label, cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                const rd_kafka_Uuid_t *dir = kafkars_ReplicaState_directory_id(v[i]);
                sb_line(&bl.v[i], 3,
                        "replica id=%" PRId32 " directory_id=%s log_end_offset=%" PRId64
                        " last_fetch_timestamp=%" PRId64 " last_caught_up_timestamp=%" PRId64 "\n",
                        kafkars_ReplicaState_replica_id(v[i]),
                        dir ? S(rd_kafka_Uuid_base64str(dir)) : "(null)",
                        kafkars_ReplicaState_log_end_offset(v[i]),
                        kafkars_ReplicaState_last_fetch_timestamp(v[i]),
                        kafkars_ReplicaState_last_caught_up_timestamp(v[i]));
        }
        blocks_flush(&bl, b);
}

static void pr_DescribeMetadataQuorum(sb_t *b, const rd_kafka_event_t *r) {
        const kafkars_QuorumInfo_t *q = kafkars_DescribeMetadataQuorum_result_quorum_info(r);
        const kafkars_ReplicaState_t **states;
        const rd_kafka_Node_t **nodes;
        size_t cnt = 0, i;
        blocks_t bl;
        if (!q) {
                sb_line(b, 1, "quorum (null)\n");
                return;
        }
        sb_line(b, 1, "quorum leader_id=%" PRId32 " leader_epoch=%" PRId32
                      " high_watermark=%" PRId64 "\n",
                kafkars_QuorumInfo_leader_id(q), kafkars_QuorumInfo_leader_epoch(q),
                kafkars_QuorumInfo_high_watermark(q));
        states = kafkars_QuorumInfo_voters(q, &cnt);
        p_replica_states(b, "voters", states, cnt);
        cnt    = 0;
        states = kafkars_QuorumInfo_observers(q, &cnt);
        p_replica_states(b, "observers", states, cnt);
        cnt   = 0;
        nodes = kafkars_QuorumInfo_nodes(q, &cnt);
        sb_line(b, 2, "nodes: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 3, "node ");
                p_node(&bl.v[i], nodes[i]);
                sb_printf(&bl.v[i], " listener=%s\n", S(kafkars_QuorumInfo_node_listener(q, i)));
        }
        blocks_flush(&bl, b);
}

/* ---- DescribeFeatures ---- */

static void op_describe_features(int argc, char **argv) {
        if (argc)
                usage_error("describe_features takes no arguments");
        ext_need((void (*)(void))kafkars_DescribeFeatures, "kafkars_DescribeFeatures");
        kafkars_DescribeFeatures(g_rk, g_opts, g_q);
}

static void pr_DescribeFeatures(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const kafkars_Feature_t **fs;
        blocks_t bl;
        sb_line(b, 1, "finalized_epoch=%" PRId64 "\n",
                kafkars_DescribeFeatures_result_finalized_epoch(r));
        fs = kafkars_DescribeFeatures_result_features(r, &cnt);
        sb_line(b, 1, "features: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++)
                sb_line(&bl.v[i], 2, "feature name=%s supported=%d..%d finalized=%d..%d\n",
                        S(kafkars_Feature_name(fs[i])), kafkars_Feature_supported_min(fs[i]),
                        kafkars_Feature_supported_max(fs[i]),
                        kafkars_Feature_finalized_min(fs[i]),
                        kafkars_Feature_finalized_max(fs[i]));
        blocks_flush(&bl, b);
}

/* ---- UpdateFeatures ---- */

static void dtor_feature_update(void *p) {
        kafkars_FeatureUpdate_destroy(p);
}

static void op_update_features(int argc, char **argv) {
        kafkars_FeatureUpdate_t **arr;
        int i;
        ext_need((void (*)(void))kafkars_UpdateFeatures, "kafkars_UpdateFeatures");
        arr = xcalloc((size_t)argc + 1, sizeof(*arr));
        for (i = 0; i < argc; i++) {
                char *s = xstrdup(argv[i]), *rest = s;
                char *name  = next_field(&rest, ':');
                char *level = next_field(&rest, ':');
                char *type  = next_field(&rest, ':');
                char errstr[ERRSTR_SIZE] = "";
                int t = KAFKARS_FEATURE_UPGRADE;
                if (!level || rest)
                        usage_error("update_features: expected FEATURE:LEVEL[:TYPE] in '%s'",
                                    argv[i]);
                if (type)
                        t = need_enum(type, upgrade_type_names, NELEMS(upgrade_type_names),
                                      "upgrade type");
                arr[i] = kafkars_FeatureUpdate_new(name, (int16_t)need_i32(level, "level"),
                                                   (kafkars_FeatureUpgradeType_t)t, errstr,
                                                   sizeof(errstr));
                if (!arr[i])
                        build_fail("kafkars_FeatureUpdate_new", argv[i], errstr);
                push(arr[i], dtor_feature_update);
        }
        kafkars_UpdateFeatures(g_rk, arr, (size_t)argc, g_opts, g_q);
}

static void pr_UpdateFeatures(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const kafkars_FeatureUpdateResult_t **res =
            kafkars_UpdateFeatures_result_features(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "features: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "feature name=%s ", S(kafkars_FeatureUpdateResult_name(res[i])));
                p_error(&bl.v[i], kafkars_FeatureUpdateResult_error(res[i]));
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

/* ---- ListConfigResources ---- */

static void op_list_config_resources(int argc, char **argv) {
        kafkars_ConfigResourceType_t *types = xcalloc((size_t)argc + 1, sizeof(*types));
        int i, j;
        ext_need((void (*)(void))kafkars_ListConfigResources, "kafkars_ListConfigResources");
        for (i = 0; i < argc; i++) {
                for (j = 0; j < NELEMS(configres_types); j++)
                        if (!strcasecmp(argv[i], configres_types[j].name))
                                break;
                types[i] = j < NELEMS(configres_types) ? configres_types[j].value
                                                       : need_i32(argv[i], "resource type");
        }
        kafkars_ListConfigResources(g_rk, argc ? types : NULL, (size_t)argc, g_opts, g_q);
}

static void pr_ListConfigResources(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const kafkars_ConfigResourceListing_t **res =
            kafkars_ListConfigResources_result_resources(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "resources: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                int t = (int)kafkars_ConfigResourceListing_type(res[i]);
                sb_line(&bl.v[i], 2, "resource type=%s(%d) name=%s\n", configres_type_name(t), t,
                        S(kafkars_ConfigResourceListing_name(res[i])));
        }
        blocks_flush(&bl, b);
}

/* ---- RemoveGroupMembers ---- */

static void dtor_remove_group_members(void *p) {
        kafkars_RemoveGroupMembers_destroy(p);
}

static void op_remove_group_members(int argc, char **argv) {
        kafkars_RemoveGroupMembers_t *req;
        int i;
        ext_need((void (*)(void))kafkars_RemoveGroupMembers, "kafkars_RemoveGroupMembers");
        if (argc < 1)
                usage_error("remove_group_members: expected GROUP MEMBER_ID[:INSTANCE_ID[:REASON]]...");
        req = kafkars_RemoveGroupMembers_new(argv[0]);
        if (!req)
                build_fail("kafkars_RemoveGroupMembers_new", argv[0], NULL);
        push(req, dtor_remove_group_members);
        for (i = 1; i < argc; i++) {
                char *s = xstrdup(argv[i]), *rest = s;
                char *member   = next_field(&rest, ':');
                char *instance = next_field(&rest, ':');
                /* REASON is the rest of the argument. */
                rd_kafka_error_t *e = kafkars_RemoveGroupMembers_add(
                    req, nullable(member), nullable(instance), nullable(rest));
                if (e) {
                        build_error("kafkars_RemoveGroupMembers_add", argv[i], e);
                        finish(EXIT_BUILD);
                }
        }
        kafkars_RemoveGroupMembers(g_rk, req, g_opts, g_q);
}

static void pr_RemoveGroupMembers(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const kafkars_MemberRemoval_t **res = kafkars_RemoveGroupMembers_result_members(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "members: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "member member_id=%s group_instance_id=%s ",
                        S(kafkars_MemberRemoval_member_id(res[i])),
                        S(kafkars_MemberRemoval_group_instance_id(res[i])));
                p_error(&bl.v[i], kafkars_MemberRemoval_error(res[i]));
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

/* ---- ListTransactions ---- */

static void op_list_transactions(int argc, char **argv) {
        if (argc)
                usage_error("list_transactions takes no arguments (filters are -o options)");
        ext_need((void (*)(void))kafkars_ListTransactions, "kafkars_ListTransactions");
        kafkars_ListTransactions(g_rk, g_opts, g_q);
}

static void pr_ListTransactions(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const kafkars_TransactionListing_t **ts =
            kafkars_ListTransactions_result_transactions(r, &cnt);
        const rd_kafka_error_t **errs;
        blocks_t bl;
        sb_line(b, 1, "transactions: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                kafkars_TransactionState_t st = kafkars_TransactionListing_state(ts[i]);
                sb_line(&bl.v[i], 2,
                        "transaction id=%s producer_id=%" PRId64 " state=%s(%d) broker_id=%" PRId32
                        "\n",
                        S(kafkars_TransactionListing_transactional_id(ts[i])),
                        kafkars_TransactionListing_producer_id(ts[i]),
                        S(kafkars_TransactionState_name(st)), (int)st,
                        kafkars_TransactionListing_broker_id(ts[i]));
        }
        blocks_flush(&bl, b);
        cnt  = 0;
        errs = kafkars_ListTransactions_result_errors(r, &cnt);
        sb_line(b, 1, "errors: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                sb_line(&bl.v[i], 2, "%s", "");
                p_error(&bl.v[i], errs[i]);
                sb_printf(&bl.v[i], "\n");
        }
        blocks_flush(&bl, b);
}

/* ---- DescribeTransactions ---- */

static void op_describe_transactions(int argc, char **argv) {
        ext_need((void (*)(void))kafkars_DescribeTransactions, "kafkars_DescribeTransactions");
        kafkars_DescribeTransactions(g_rk, (const char **)argv, (size_t)argc, g_opts, g_q);
}

static void pr_DescribeTransactions(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i;
        const kafkars_TransactionDescription_t **ds =
            kafkars_DescribeTransactions_result_descriptions(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "descriptions: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                const rd_kafka_Node_t *n = kafkars_TransactionDescription_coordinator(ds[i]);
                kafkars_TransactionState_t st = kafkars_TransactionDescription_state(ds[i]);
                sb_line(&bl.v[i], 2, "transaction id=%s coordinator=",
                        S(kafkars_TransactionDescription_transactional_id(ds[i])));
                /* The port differs per run: only whether there is one is printed. */
                if (n)
                        sb_printf(&bl.v[i], "%d:%s:%s port_ok=%d ", rd_kafka_Node_id(n),
                                  S(rd_kafka_Node_host(n)), S(rd_kafka_Node_rack(n)),
                                  rd_kafka_Node_port(n) > 0);
                else
                        sb_printf(&bl.v[i], "(null) ");
                sb_printf(&bl.v[i],
                          "state=%s(%d) producer_id=%" PRId64 " producer_epoch=%d timeout_ms=%" PRId32
                          " start_time_ms=%" PRId64 " ",
                          S(kafkars_TransactionState_name(st)), (int)st,
                          kafkars_TransactionDescription_producer_id(ds[i]),
                          (int)kafkars_TransactionDescription_producer_epoch(ds[i]),
                          kafkars_TransactionDescription_timeout_ms(ds[i]),
                          kafkars_TransactionDescription_start_time_ms(ds[i]));
                /* Last on the line: the test sets aside what follows an error's name. */
                p_error(&bl.v[i], kafkars_TransactionDescription_error(ds[i]));
                sb_printf(&bl.v[i], "\n");
                p_tplist(&bl.v[i], 3, "partitions", kafkars_TransactionDescription_partitions(ds[i]));
        }
        blocks_flush(&bl, b);
}

/* ---- DescribeProducers ---- */

static void op_describe_producers(int argc, char **argv) {
        rd_kafka_topic_partition_list_t *l = new_tplist(argc);
        int i;
        ext_need((void (*)(void))kafkars_DescribeProducers, "kafkars_DescribeProducers");
        for (i = 0; i < argc; i++)
                add_tp(l, argv[i], NULL);
        kafkars_DescribeProducers(g_rk, l, g_opts, g_q);
}

static void pr_DescribeProducers(sb_t *b, const rd_kafka_event_t *r) {
        size_t cnt = 0, i, j;
        const kafkars_PartitionProducers_t **ps =
            kafkars_DescribeProducers_result_partitions(r, &cnt);
        blocks_t bl;
        sb_line(b, 1, "partitions: %zu\n", cnt);
        blocks_init(&bl, cnt);
        for (i = 0; i < cnt; i++) {
                size_t pcnt = 0;
                const kafkars_ProducerState_t **prods =
                    kafkars_PartitionProducers_producers(ps[i], &pcnt);
                blocks_t pb;
                sb_line(&bl.v[i], 2, "partition ");
                p_tpar(&bl.v[i], kafkars_PartitionProducers_partition(ps[i]));
                sb_printf(&bl.v[i], " ");
                p_error(&bl.v[i], kafkars_PartitionProducers_error(ps[i]));
                sb_printf(&bl.v[i], "\n");
                sb_line(&bl.v[i], 3, "producers: %zu\n", pcnt);
                blocks_init(&pb, pcnt);
                for (j = 0; j < pcnt; j++)
                        sb_line(&pb.v[j], 4,
                                "producer id=%" PRId64 " epoch=%d last_sequence=%d last_timestamp=%" PRId64
                                " coordinator_epoch=%d current_txn_start_offset=%" PRId64 "\n",
                                kafkars_ProducerState_producer_id(prods[j]),
                                (int)kafkars_ProducerState_producer_epoch(prods[j]),
                                (int)kafkars_ProducerState_last_sequence(prods[j]),
                                kafkars_ProducerState_last_timestamp(prods[j]),
                                (int)kafkars_ProducerState_coordinator_epoch(prods[j]),
                                kafkars_ProducerState_current_txn_start_offset(prods[j]));
                blocks_flush(&pb, &bl.v[i]);
        }
        blocks_flush(&bl, b);
}

/* ---- AbortTransaction ---- */

static void dtor_abort_spec(void *p) {
        kafkars_AbortTransactionSpec_destroy(p);
}

static void op_abort_transaction(int argc, char **argv) {
        kafkars_AbortTransactionSpec_t *spec;
        char *s, *rest, *topic, *part, *pid, *epoch, *cepoch;
        char errstr[ERRSTR_SIZE] = "";
        ext_need((void (*)(void))kafkars_AbortTransaction, "kafkars_AbortTransaction");
        if (argc != 1)
                usage_error("abort_transaction takes one "
                            "TOPIC:PART:PRODUCER_ID:PRODUCER_EPOCH[:COORDINATOR_EPOCH]");
        s = rest = xstrdup(argv[0]);
        topic  = next_field(&rest, ':');
        part   = next_field(&rest, ':');
        pid    = next_field(&rest, ':');
        epoch  = next_field(&rest, ':');
        cepoch = next_field(&rest, ':');
        if (!epoch || rest)
                usage_error("abort_transaction: expected "
                            "TOPIC:PART:PRODUCER_ID:PRODUCER_EPOCH[:COORDINATOR_EPOCH] in '%s'",
                            argv[0]);
        spec = kafkars_AbortTransactionSpec_new(
            topic, need_i32(part, "partition"), need_i64(pid, "producer id"),
            (int16_t)need_i32(epoch, "producer epoch"),
            cepoch ? need_i32(cepoch, "coordinator epoch") : -1, errstr, sizeof(errstr));
        if (!spec)
                build_fail("kafkars_AbortTransactionSpec_new", argv[0], errstr);
        push(spec, dtor_abort_spec);
        (void)s;
        kafkars_AbortTransaction(g_rk, spec, g_opts, g_q);
}

/* The result is the event's error alone (one partition). */
static void pr_AbortTransaction(sb_t *b, const rd_kafka_event_t *r) {
}
