package lifecycle

import (
	"errors"

	"github.com/pgml-go/pgml/algorithms"
)

type project struct {
	id   int64
	name string
	task algorithms.Task
}

// findProject returns nil, nil when no project has that name.
func (sess *Session) findProject(name string) (*project, error) {
	rows, err := sess.query(`SELECT id, task FROM pgml.projects WHERE name = $1`, name)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	task, err := algorithms.ParseTask(rows[0].Str(1))
	if err != nil {
		return nil, Errorf(StateDataException, "project %q has task %q, which pgml does not support", name, rows[0].Str(1))
	}
	return &project{id: rows[0].Int64(0), name: name, task: task}, nil
}

// parseTrainingTask maps the task argument to a task train supports, with PostgresML's messages.
func parseTrainingTask(s string) (algorithms.Task, error) {
	task, err := algorithms.ParseTask(s)
	if err == nil {
		return task, nil
	}
	return 0, Errorf(StateInvalidParameter, "Unknown task `%s`, available options are: regression, classification, clustering, decomposition.", s)
}

// projectForTraining finds the project or creates it when a task is given.
func (sess *Session) projectForTraining(name string, taskArg string, taskGiven bool) (*project, error) {
	if name == "" {
		return nil, Errorf(StateInvalidParameter, "project_name must not be empty")
	}
	var task algorithms.Task
	if taskGiven {
		var err error
		if task, err = parseTrainingTask(taskArg); err != nil {
			return nil, err
		}
	}
	existing, err := sess.findProject(name)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		if taskGiven && existing.task != task {
			return nil, Errorf(StateDuplicateObject, "Project `%s` already exists with a different task: `%s`. Create a new project instead.", name, existing.task)
		}
		return existing, nil
	}
	if !taskGiven {
		return nil, Errorf(StateUndefinedObject, "Project `%s` does not exist. To create a new project, you must specify a `task`.", name)
	}
	rows, err := sess.query(`INSERT INTO pgml.projects (name, task) VALUES ($1, $2) RETURNING id`, name, task.String())
	if err != nil {
		return nil, err
	}
	if len(rows) != 1 {
		return nil, errors.New("pgml: INSERT INTO pgml.projects returned no id")
	}
	return &project{id: rows[0].Int64(0), name: name, task: task}, nil
}
