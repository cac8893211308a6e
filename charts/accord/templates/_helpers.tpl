{{/* Names, labels and the values every template derives from. */}}

{{- define "accord.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "accord.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "accord.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "accord.selectorLabels" -}}
app.kubernetes.io/name: {{ include "accord.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "accord.labels" -}}
helm.sh/chart: {{ include "accord.chart" . }}
{{ include "accord.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: controller
app.kubernetes.io/part-of: accord
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "accord.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "accord.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "accord.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The namespace whose custom resources and Secrets the controller reads; empty means every namespace. */}}
{{- define "accord.watchNamespace" -}}
{{- .Values.controller.watchNamespace | default "" }}
{{- end }}

{{/* The Lease names the controller uses, one per shard; RBAC scopes the Lease role to exactly these. */}}
{{- define "accord.leaseNames" -}}
{{- $names := list }}
{{- range $i := until (int .Values.controller.shards) }}
{{- $names = append $names (printf "accord-shard-%d" $i) }}
{{- end }}
{{- toYaml $names }}
{{- end }}

{{/* Refuse combinations that would run two writers at once. */}}
{{- define "accord.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not .Values.controller.leaderElection.enabled) }}
{{- fail "controller.leaderElection.enabled=false needs replicaCount=1: without leader election every replica would write to the tenants" }}
{{- end }}
{{- if and .Values.workloadIdentity.enabled (not .Values.workloadIdentity.clientId) }}
{{- fail "workloadIdentity.clientId is required when workloadIdentity.enabled is true (the app registration's Application (client) ID)" }}
{{- end }}
{{- end }}

{{/* The accord.dev resources the controller reconciles. */}}
{{- define "accord.resources" -}}
- conditionalaccesspolicies
- namedlocations
- authenticationstrengthpolicies
- authenticationmethodspolicies
- crosstenantaccesspolicies
- tenants
{{- end }}

{{/* Rules for the watched namespace(s): the custom resources, Tenant credential Secrets, events. */}}
{{- define "accord.resourceRules" -}}
# Exactly what the controller calls: it watches its kinds, patches them (the finalizer) and their status, reads the
# Secret a Tenant names, and records events. It never updates (PUT) a resource or lists Secrets.
- apiGroups: [accord.dev]
  resources:
    {{- include "accord.resources" . | nindent 4 }}
  verbs: [get, list, watch, patch]
- apiGroups: [accord.dev]
  resources:
    {{- range (include "accord.resources" . | fromYamlArray) }}
    - {{ . }}/status
    {{- end }}
  verbs: [patch]
# Tenant credentials referenced by spec.credentials.secretRef, read by name.
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create]
{{- end }}
