#!/bin/bash
# Runs a C API test binary against a fresh crm-server on a free loopback port.
# The binary finds the server in CRM_TEST_URL and the demo users' keys in
# CRM_TEST_KEY_ANA, CRM_TEST_KEY_BRUNO, CRM_TEST_KEY_CARLA; CRM_TEST_DB is the
# database and CRM_TEST_SERVER the server binary.
. "$(dirname "$0")/../lib.sh"
server_start "${CRM_TEST_DEMO_N:-60}"
export CRM_TEST_URL="$BASE" CRM_TEST_DB="$DB" CRM_TEST_SERVER="$SERVER_BIN"
export CRM_TEST_KEY_ANA="$KEY_ana" CRM_TEST_KEY_BRUNO="$KEY_bruno" CRM_TEST_KEY_CARLA="$KEY_carla"
"$@"
